"""portplan: plan, check and edit the port allocations of many projects on one machine."""

__version__ = "0.1.0"
