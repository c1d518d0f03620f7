"""The outbox: every e-mail the platform sends, queued, retried, and visible to organisers."""
