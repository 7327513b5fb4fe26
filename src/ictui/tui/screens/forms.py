"""The modal forms, where every screen imports them from: the generic ones (``modals``:
the forms' base, choose one, a date, yes or no) and the incident's (``incident_forms``:
declare, assign a role, edit a timeline entry)."""

from ictui.tui.screens.incident_forms import DeclareForm, DeclareModal, EditEntryModal, RoleModal
from ictui.tui.screens.modals import Choice, ChoiceModal, ConfirmModal, DateModal, FormModal, error_label

__all__ = [
    "Choice",
    "ChoiceModal",
    "ConfirmModal",
    "DateModal",
    "DeclareForm",
    "DeclareModal",
    "EditEntryModal",
    "FormModal",
    "RoleModal",
    "error_label",
]
