"""Top-level routes: this file only includes the apps' own URL modules."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin signs in through the portal's own sign-in page, so it gets the same rate limits,
# e-mail verification and two-factor check as everything else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Clinic portal administration"
admin.site.site_title = "Clinic portal administration"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.content.urls")),
    path("", include("apps.intake.urls")),
    path("", include("apps.clinic.urls")),
    path("worklist/", include("apps.worklist.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.counselling.urls")),
    path("", include("apps.dosing.urls")),
    path("care/", include("apps.dosing.escalation_urls")),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("apps.core.api_urls")),
]

# The portal's error pages (apps/core/errors.py): JSON in the API's error shape under /api/.
handler400 = "apps.core.errors.bad_request"
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"
