"""Fleet footprint: read an inventory (CSV, GLPI export), amortise manufacturing, add use,
and show what keeping devices longer or buying refurbished would avoid.

Library use::

    from menage.fleet import fleet_footprint, read_inventory

    inventory = read_inventory(Path("parc.csv").read_bytes())
    fleet_footprint(inventory).to_dict()
"""

from menage.fleet.footprint import FleetFootprint, Group, Scenario, fleet_footprint
from menage.fleet.inventory import (
    FIELDS,
    Inventory,
    InventoryError,
    Item,
    Problem,
    parse_date,
    read_inventory,
)

__all__ = [
    "FIELDS",
    "FleetFootprint",
    "Group",
    "Inventory",
    "InventoryError",
    "Item",
    "Problem",
    "Scenario",
    "fleet_footprint",
    "parse_date",
    "read_inventory",
]
