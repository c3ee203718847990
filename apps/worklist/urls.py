from django.urls import path

from apps.worklist import views

app_name = "worklist"

urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:task_id>/resolve/", views.task_resolve, name="task-resolve"),
]
