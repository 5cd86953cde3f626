"""`portplan apply`: carry the plan out in a project's Compose, `.env` and Kubernetes files.

No Textual here: the command and the planner's "Apply to files" screen call `prepare` (what
would change, and what needs a person) and `write_all` (all files or none).
"""

from portplan.apply.build import Preparation, prepare
from portplan.apply.decide import Move, Pending
from portplan.apply.diff import unified_diff
from portplan.apply.files import ApplyRefused, write_all
from portplan.apply.textedits import FileEdit

__all__ = [
    "ApplyRefused",
    "FileEdit",
    "Move",
    "Pending",
    "Preparation",
    "prepare",
    "unified_diff",
    "write_all",
]
