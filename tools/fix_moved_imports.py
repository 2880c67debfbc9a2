"""Rewrite the imports of names issue 15 moved, in code written before it (e.g. a branch merged later).

Run from the repository root after the merge: ``python tools/fix_moved_imports.py``; it prints the
files it changed. Then ``lint-imports`` names anything left (a module that no longer exists shows
up as an import of ``directory`` itself). Moves it does not rewrite: granting designations
(``grant_designation``, ``revoke_designation``, ``holding``, ... now in
``directory.institutions.designations`` when imported together with kind functions), and
``domain_error_statuses`` entries (now ``directory/domain_errors.py``).
"""
import re, subprocess, sys
from pathlib import Path
R = [
    (r"directory\.matching\.revision", "directory.institutions.revision"),
    (r"directory\.matching\.index", "directory.institutions.search_index"),
    (r"from directory\.matching\.service import (name_ranking|name_suggestions|matching_index)\b", r"from directory.institutions.search import \1"),
    (r"directory\.matching\b", "directory.finder"),
    (r"from directory\.admin\.login import", "from directory.auth.login import"),
    (r"from directory\.admin import login\b", "from directory.auth import login"),
    (r"directory\.admin\.login\b", "directory.auth.login"),
    (r"^(\s*)from directory\.cli import init_database, write_session$", r"\1from directory.database import write_session\n\1from directory.operations.setup import init_database"),
    (r"from directory\.cli import write_session$", "from directory.database import write_session"),
    (r"from directory\.cli import init_database$", "from directory.operations.setup import init_database"),
    (r"from directory\.audit\.trail import act_as$", "from directory.database import act_as"),
    (r"from directory\.statistics\.active import today$", "from directory.timestamps import today"),
    (r"from directory\.statistics\.exports import", "from directory.tables import"),
    (r"directory\.schema import", "directory.migrations_runner import"),
    (r"directory\.events\.calendar\b", "directory.events.ics"),
    (r"from directory\.auth\.service import in_scope$", "from directory.auth.access import in_scope"),
    (r"directory\.regions\.counts\b", "directory.institutions.region_counts"),
    (r"directory\.audit\.history\b", "directory.institutions.history"),
    (r"directory\.audit\.log\b", "directory.admin.audit_query"),
    (r"directory\.audit\.readable\b", "directory.admin.audit_readable"),
    (r"directory\.events\.sample\b", "directory.sample_events"),
    (r"from directory\.hsds\.reading import import_upload$", "from directory.institutions.upload import import_upload"),
    (r"from directory\.designations\.service import (grant_designation|revoke_designation|get_designation|holding|apply_designation_from_import|set_demonstration_platform)((?:, (?:grant_designation|revoke_designation|get_designation|holding|apply_designation_from_import|set_demonstration_platform))*)$", r"from directory.institutions.designations import \1\2"),
    (r"(?<!docs/)CONTRACT\.md", "docs/contract.md"),
    (r"from directory\.errors import domain_error_statuses$", "from directory.domain_errors import domain_error_statuses"),
    (r"directory/matching/revision\.py", "directory/institutions/revision.py"),
    (r"directory/matching/index\.py", "directory/institutions/search_index.py"),
    (r"directory/matching/", "directory/finder/"),
    (r"directory/admin/login\.py", "directory/auth/login.py"),
    (r"directory/statistics/exports\.py", "directory/tables.py"),
    (r"directory/cli\.py", "directory/operations/setup.py"),
]
files = subprocess.run(["git", "ls-files", "directory", "tests", "bench", "seed_data", "README.md", "SECURITY.md"], capture_output=True, text=True).stdout.split()
for f in files:
    if not f.endswith((".py", ".md")) or not Path(f).exists():
        continue
    s = Path(f).read_text()
    new = s
    for a, b in R:
        new = re.sub(a, b, new, flags=re.M)
    if new != s:
        Path(f).write_text(new)
        print("fixed", f)
