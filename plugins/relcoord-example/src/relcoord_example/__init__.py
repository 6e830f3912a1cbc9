"""relcoord-example: a tab-separated tie list, a Markdown role table and a command.

The hook implementations live in [`relcoord_example.plugin`][relcoord_example.plugin], which the
entry point ``example`` in the group ``relcoord`` names; the formats live in their own modules.
"""

from relcoord_example.roles_markdown import ROLES_MARKDOWN, roles_table
from relcoord_example.ties_tsv import TIES_TSV, read_ties, write_ties

__all__ = ["ROLES_MARKDOWN", "TIES_TSV", "read_ties", "roles_table", "write_ties"]

__version__ = "0.1.0"
