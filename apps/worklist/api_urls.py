from django.urls import path

from apps.worklist import api

app_name = "worklist-api"

urlpatterns = [
    path("tasks/", api.TaskListView.as_view(), name="task-list"),
]
