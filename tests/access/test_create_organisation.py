"""manage.py create_organisation: everything an organisation needs, idempotently."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
)

from organisations.scope import COORDINATORS, TRANSLATORS
from organisations.workflow import WORKFLOW_NAME
from practices.models import MethodIndexPage, Organisation, PracticeIndexPage, ReportIndexPage


def run(*args, verbosity=1):
    out = StringIO()
    call_command("create_organisation", *args, stdout=out, verbosity=verbosity)
    return out.getvalue()


def page_actions(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def collection_actions(group, collection):
    return set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission__codename", flat=True
        )
    )


@pytest.mark.django_db
class TestCreateOrganisation:
    def test_sets_up_organisation_group_collection_and_permissions(self):
        output = run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")

        assert '"Sunne kommun" created' in output
        sunne = Organisation.objects.get(name="Sunne kommun")
        assert sunne.kind == Organisation.Kind.MUNICIPALITY
        assert sunne.municipality.code == "1766"
        assert sunne.region.code == "17"  # taken from the municipality

        group = sunne.editors_group
        assert group.name == "Sunne kommun – redaktörer"
        assert group.permissions.filter(codename="access_admin").exists()
        for model in (PracticeIndexPage, MethodIndexPage, ReportIndexPage):
            index = model.objects.get(locale__language_code="sv")
            # "add" only: the organisation grants "change" on its own pages; no publishing.
            assert page_actions(group, index) == {"add_page"}
        assert GroupPagePermission.objects.filter(group=group).count() == 3

        assert sunne.collection.name == "Sunne kommun"
        assert sunne.collection.get_parent() == Collection.get_first_root_node()
        assert collection_actions(group, sunne.collection) == {
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        }
        assert (
            not GroupCollectionPermission.objects.filter(group=group)
            .exclude(collection=sunne.collection)
            .exists()
        )

    def test_sets_up_platform_roles_and_review_workflow(self):
        run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")

        coordinators = Group.objects.get(name=COORDINATORS)
        translators = Group.objects.get(name=TRANSLATORS)
        root = PracticeIndexPage.objects.first().get_root_nodes()[0]
        assert page_actions(coordinators, root) == {
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        }
        assert coordinators.permissions.filter(codename="change_organisation").exists()
        assert coordinators.permissions.filter(codename="add_activitytype").exists()
        assert translators.permissions.filter(codename="submit_translation").exists()
        translated_homes = {
            p.page.locale.language_code
            for p in GroupPagePermission.objects.filter(group=translators)
        }
        assert translated_homes == {"en", "ar", "fa"}
        assert not GroupPagePermission.objects.filter(
            group=translators, permission__codename="publish_page"
        ).exists()

        workflow = Workflow.objects.get(name=WORKFLOW_NAME)
        task = workflow.tasks.get().specific
        assert list(task.groups.all()) == [coordinators]
        # The three index pages of each of the four languages.
        assert WorkflowPage.objects.filter(workflow=workflow).count() == 12

    def test_second_run_changes_nothing_and_says_so(self):
        run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")
        counts = (
            Group.objects.count(),
            Collection.objects.count(),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
            WorkflowPage.objects.count(),
        )

        output = run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")

        assert output.strip() == '"Sunne kommun" is already set up; nothing changed.'
        assert counts == (
            Group.objects.count(),
            Collection.objects.count(),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
            WorkflowPage.objects.count(),
        )
        assert Organisation.objects.filter(name="Sunne kommun").count() == 1

    def test_second_organisation_gets_its_own_group_and_collection(self):
        run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")
        run("Hylte kommun", "--kind", "municipality", "--municipality", "1315")

        sunne = Organisation.objects.get(name="Sunne kommun")
        hylte = Organisation.objects.get(name="Hylte kommun")
        assert sunne.editors_group != hylte.editors_group
        assert sunne.collection != hylte.collection
        assert not collection_actions(sunne.editors_group, hylte.collection)

    def test_existing_organisation_is_completed_and_corrected(self):
        Organisation.objects.create(name="Sunne kommun", kind=Organisation.Kind.CIVIL_SOCIETY)

        output = run(
            "Sunne kommun", "--kind", "municipality", "--municipality", "1766", verbosity=2
        )

        assert '"Sunne kommun" updated' in output
        assert "kind" in output
        sunne = Organisation.objects.get(name="Sunne kommun")
        assert sunne.kind == Organisation.Kind.MUNICIPALITY
        assert sunne.editors_group is not None
        assert sunne.collection is not None

    def test_renamed_organisation_keeps_its_group_and_members(self):
        run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")
        sunne = Organisation.objects.get()
        group = sunne.editors_group
        Organisation.objects.filter(pk=sunne.pk).update(name="Sunne kommun (ny)")

        output = run("Sunne kommun (ny)", "--kind", "municipality", "--municipality", "1766")

        assert "nothing changed" in output
        assert Organisation.objects.get().editors_group == group

    def test_long_names_get_their_own_groups(self):
        common = "Samordningsförbundet " + "för arbete och integration " * 6
        run(common + "i Sunne", "--kind", "coordination_association")
        run(common + "i Hylte", "--kind", "coordination_association")

        first, second = Organisation.objects.order_by("pk")
        assert first.editors_group != second.editors_group
        assert len(second.editors_group.name) <= 150

    def test_name_in_other_case_is_the_same_organisation(self):
        run("Sunne kommun", "--kind", "municipality", "--municipality", "1766")
        output = run("SUNNE KOMMUN", "--kind", "municipality", "--municipality", "1766")

        assert "nothing changed" in output
        assert Organisation.objects.get().name == "Sunne kommun"

    def test_omitted_options_keep_recorded_values(self):
        run(
            "Röda Korset", "--kind", "civil_society", "--region", "17", "--website", "https://rk.se"
        )
        output = run("Röda Korset", "--kind", "civil_society")

        assert "nothing changed" in output
        organisation = Organisation.objects.get(name="Röda Korset")
        assert organisation.region.code == "17"
        assert organisation.website == "https://rk.se"

    def test_region_and_agency_kinds(self):
        run("Region Värmland", "--kind", "region", "--region", "17")
        run("Arbetsförmedlingen", "--kind", "government_agency")

        assert Organisation.objects.get(name="Region Värmland").region.code == "17"
        assert Organisation.objects.get(name="Arbetsförmedlingen").region is None


@pytest.mark.django_db
class TestCreateOrganisationRejectsBadInput:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                ["Sunne kommun", "--kind", "municipality", "--municipality", "9999"],
                'Unknown municipality code "9999"',
            ),
            (["Sunne kommun", "--kind", "town", "--municipality", "1766"], 'Unknown kind "town"'),
            (["Region X", "--kind", "region", "--region", "99"], 'Unknown region code "99"'),
            (
                [
                    "Sunne kommun",
                    "--kind",
                    "municipality",
                    "--municipality",
                    "1766",
                    "--region",
                    "13",
                ],
                "Sunne is in",
            ),
            (["Sunne kommun", "--kind", "municipality"], "needs its municipality code"),
            (["Region Värmland", "--kind", "region"], "needs its region code"),
            (["   ", "--kind", "civil_society"], "needs a name"),
            (
                ["Röda Korset", "--kind", "civil_society", "--website", "rodakorset"],
                "is not a website address",
            ),
        ],
    )
    def test_clear_error_and_nothing_written(self, args, message):
        groups, collections = Group.objects.count(), Collection.objects.count()

        with pytest.raises(CommandError, match=message):
            run(*args)

        assert not Organisation.objects.exists()
        assert Group.objects.count() == groups
        assert Collection.objects.count() == collections
        assert not Workflow.objects.filter(name=WORKFLOW_NAME).exists()
