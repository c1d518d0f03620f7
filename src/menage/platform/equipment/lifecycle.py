"""The equipment lifecycle as data: a collected device is diagnosed, its data cleared,
then repaired, refurbished from parts of others, or used as a parts donor, and leaves as
donated, sold or recycled.

Nothing leaves before its data is cleared: every exit (donate, sell, recycle) and every
parts donation starts from a state after ``wiped``. A device that holds no data (a
screen, a cable) clears the step with "no data on it", stated by who decided it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from menage.platform.core.workflow import Transition, Workflow

COLLECTED = "collected"
DIAGNOSED = "diagnosed"
WIPED = "wiped"
REPAIRED = "repaired"
REFURBISHED = "refurbished"
PARTS_USED = "parts_used"
DONATED = "donated"
SOLD = "sold"
RECYCLED = "recycled"

#: states in which a device has a second life (counted in the avoided impact)
REUSED = (DONATED, SOLD)
#: states in which a device went to recycling (counted in kg, not converted)
ENDED_RECYCLED = (RECYCLED,)
READY = (REPAIRED, REFURBISHED)

LIFECYCLE = Workflow(
    states={
        COLLECTED: _("collected"),
        DIAGNOSED: _("diagnosed"),
        WIPED: _("data wiped"),
        REPAIRED: _("repaired"),
        REFURBISHED: _("refurbished from parts"),
        PARTS_USED: _("parts used"),
        DONATED: _("donated"),
        SOLD: _("sold"),
        RECYCLED: _("recycled"),
    },
    initial=COLLECTED,
    final=(DONATED, SOLD, RECYCLED),
    transitions=(
        Transition("diagnose", _("Record the diagnosis"), (COLLECTED,), DIAGNOSED),
        Transition(
            "wipe",
            _("Wipe the data (certificate)"),
            (COLLECTED, DIAGNOSED),
            WIPED,
            requires=("certificate",),
            help=_("Method, operator, date and verification go on the certificate."),
        ),
        Transition(
            "no_data",
            _("No data on it"),
            (COLLECTED, DIAGNOSED),
            WIPED,
            requires=("note",),
            help=_("A screen, a cable, a keyboard: say why it holds no data."),
        ),
        Transition("repair", _("Repaired"), (WIPED,), REPAIRED),
        Transition(
            "refurbish",
            _("Refurbished from parts of others"),
            (WIPED,),
            REFURBISHED,
            requires=("donors",),
            help=_("Say which donor devices gave which parts."),
        ),
        Transition(
            "use_for_parts",
            _("Used as a parts donor"),
            (WIPED,),
            PARTS_USED,
            help=_("Its remains then go to recycling."),
        ),
        Transition("donate", _("Donated"), READY, DONATED, requires=("recipient",)),
        Transition("sell", _("Sold"), READY, SOLD, requires=("recipient",)),
        Transition(
            "recycle",
            _("Recycled"),
            (WIPED, PARTS_USED, REPAIRED, REFURBISHED),
            RECYCLED,
            requires=("channel",),
        ),
    ),
)
