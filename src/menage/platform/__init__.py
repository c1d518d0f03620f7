"""The campaign platform (``menage serve``): a Django project, installed with ``menage[platform]``.

Organisations publish their cleanup week — campaigns, events, collection points and
shared resources — and residents find them. One Django app per domain noun:

* ``organisations``: organisations, their members and roles, and who may manage what;
* ``campaigns``: operations registered by organisations;
* ``events``: workshops and talks, the agenda, residents' registrations, iCalendar feeds;
* ``collection``: collection points for old equipment;
* ``resources``: guides and kits shared between organisations;
* ``api``: the JSON API (django-ninja);
* ``core``: what every page shares (layout, accessible forms, rate limiting, demo data).

:mod:`menage.platform.runner` is the entry point the command line uses.
"""
