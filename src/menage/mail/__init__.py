"""Mailbox diet: read a mailbox's metadata (IMAP, mbox, Maildir, .eml files) and find
what weighs and what keeps arriving, without ever downloading a message body.

The front door is :func:`menage.mail.analyse.analyse_source`; sources are opened with
:func:`menage.mail.source.open_source`.
"""
