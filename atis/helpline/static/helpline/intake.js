/* HelpLine intake shortcuts (documented on the page): Alt+S or Ctrl+Enter saves,
   Alt+O saves and opens the contact. A second press while saving does nothing, so a
   contact is never recorded twice. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
  });
  function send(button) {
    if (sending) { return; }
    if (typeof form.requestSubmit === "function") { form.requestSubmit(button); } else { button.click(); }
  }
  document.addEventListener("keydown", function (event) {
    var key = (event.key || "").toLowerCase();
    if (event.altKey && !event.ctrlKey && !event.metaKey && (key === "s" || event.code === "KeyS")) {
      event.preventDefault();
      send(form.querySelector("button[data-shortcut=save]"));
    } else if (event.altKey && !event.ctrlKey && !event.metaKey && (key === "o" || event.code === "KeyO")) {
      event.preventDefault();
      send(form.querySelector("button[data-shortcut=open]"));
    } else if ((event.ctrlKey || event.metaKey) && key === "enter") {
      event.preventDefault();
      send(form.querySelector("button[data-shortcut=save]"));
    }
  });
})();
