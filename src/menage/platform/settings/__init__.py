"""Settings: ``base`` (shared), ``dev`` (``menage serve``), ``test``, ``production``."""
