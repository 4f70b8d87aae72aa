"""Who may do what with the knowledge base: the permission names, shared by the services,
selectors and views (apart from the services, so a read never imports a write)."""

EDIT = "knowledge.edit_article"
