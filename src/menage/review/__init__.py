"""The review page (``menage review``): a small local site where a person reviews what
a scan found, ticks what to clean, cleans, and undoes, in their own browser.

    from menage import Workspace
    from menage.review import Review, ReviewServer, offered_folders

    server = ReviewServer(Review(Workspace(), offered_folders(["~/Documents"])))
    server.start()
    print(server.url)        # http://127.0.0.1:PORT/TOKEN/
    server.wait()            # until "Terminer" or inactivity

It needs only the base install (the standard library's WSGI server and Jinja2). The
page never acts on a file itself: it makes a plan from the ticked findings and hands
it to the :class:`~menage.Workspace`, which applies it through the journal.
"""

from menage.review import photo_panel as _photo_panel  # noqa: F401 - registers the panel
from menage.review.app import ReviewApp, ReviewServer
from menage.review.folders import Offered, offered_folders
from menage.review.panels import Section, register_panel, sections
from menage.review.security import Guard, OutsideRoots, Refused
from menage.review.session import Review
from menage.review.shortcut import install_shortcut

__all__ = [
    "Guard",
    "Offered",
    "OutsideRoots",
    "Refused",
    "Review",
    "ReviewApp",
    "ReviewServer",
    "Section",
    "install_shortcut",
    "offered_folders",
    "register_panel",
    "sections",
]
