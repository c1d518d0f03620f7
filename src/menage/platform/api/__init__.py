"""The JSON API (django-ninja): public campaigns, events and collection points."""
