"""Who may do what: organisations' editors, platform coordinators, translators.

- ``roles``: the groups and their permissions, set up idempotently by ``ensure_roles``.
- ``scope``: which organisations a user works for, and whether they see everything.
- ``permissions``: the page permission tester that makes page rights follow the organisation.
- ``forms``: the page form that keeps editors' new pages in their own organisation.
- ``organisations``: the ``create_organisation`` service behind the management command.
- ``workflow``: the "Coordinator review" workflow.
- ``panels``: the editors' dashboard panel.
- ``wagtail_hooks``: the admin wiring (page listings, the dashboard panel, permission policies).
"""
