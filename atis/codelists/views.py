from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from atis.codelists import services
from atis.codelists.models import Code, CodeList
from atis.lib.access import requires

MANAGE = "codelists.manage_codes"


class CodeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Code
        fields = list(services.EDITABLE_FIELDS)


@requires(MANAGE)
def code_list(request: HttpRequest) -> HttpResponse:
    selected = request.GET.get("list", CodeList.EXPLOITATION_FORM)
    if selected not in CodeList.values:
        selected = CodeList.EXPLOITATION_FORM
    return render(
        request,
        "codelists/list.html",
        {"lists": CodeList.choices, "selected": selected, "codes": Code.objects.filter(list=selected)},
    )


@requires(MANAGE)
def code_edit(request: HttpRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, pk=pk)
    form = CodeForm(request.POST or None, instance=code)
    if request.method == "POST" and form.is_valid():
        services.code_update(actor=request.user, code=code, **form.cleaned_data)
        messages.success(request, _("The code was saved."))
        return redirect(f"{reverse('codelists:list')}?list={code.list}")
    return render(request, "codelists/edit.html", {"form": form, "code": code})
