from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "eval" / "search-dev" / "corpus.jsonl"
DEMO_FILE = REPO / "interchange" / "demo" / "demo_content.jsonl"


@pytest.fixture
def site_tree(db):
    from home.site_tree import ensure_site_tree

    return ensure_site_tree()


def pytest_collection_modifyitems(config, items):
    if not DEV_CORPUS.exists():
        skip = pytest.mark.skip(reason=f"{DEV_CORPUS} is not available")
        for item in items:
            if "dev_corpus" in item.keywords:
                item.add_marker(skip)
