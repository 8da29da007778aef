from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class ModugilUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("modugil", {"fields": ("role", "display_name", "preferred_language")}),
    )
