"""Who may do what with the register of recruitment agencies: the permission names, shared by
the services, selectors and views (apart from the services, so a read never imports a write)."""

IMPORT = "agencies.import_agencies"
