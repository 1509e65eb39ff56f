"""The news moderation rule: a news item is published by its workflow's approvers, not by its author.

Communication editors may publish other pages directly; on news (actualités) they submit to the
« Validation des actualités » workflow and a member of the approving group publishes by approving.
"""

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

NEWS_WORKFLOW_NAME = "Validation des actualités"


def news_workflow_assign(*, news_index) -> None:
    """Attach the news workflow to a news index (idempotent); admins may change it in /cms/workflows/."""
    workflow = Workflow.objects.filter(name=NEWS_WORKFLOW_NAME, active=True).first()
    if workflow and not WorkflowPage.objects.filter(page=news_index).exists():
        WorkflowPage.objects.create(page=news_index, workflow=workflow)


def news_publish_allowed(*, user, page=None, parent=None) -> bool:
    """May this user publish this news item without going through its workflow?"""
    if user.is_superuser:
        return True
    target = page if page is not None and page.pk else parent
    workflow = target.get_workflow() if target is not None else None
    if workflow is None or not workflow.active:
        return True
    user_groups = set(user.groups.values_list("pk", flat=True))
    for task in workflow.tasks.filter(active=True).specific():
        if isinstance(task, GroupApprovalTask) and user_groups & set(task.groups.values_list("pk", flat=True)):
            return True
    return False
