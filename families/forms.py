"""Portal forms: French labels and messages; they validate input, services hold the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import (
    PARENT_DOCUMENT_KINDS,
    AccountRequest,
    Child,
    Civility,
    Contact,
    Family,
    Guardian,
    Vaccination,
)
from .services.change_requests import FAMILY_FIELDS, GUARDIAN_FIELDS
from .services.health import health_form_missing
from .services.uploads import upload_check
from .validators import IdModelMultipleChoiceField, validate_not_future, validate_phone, validate_postcode

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SignupForm(forms.Form):
    """« Créer mon espace » : identity, email, password (CNIL: ≥ 8 characters with lockout, no composition rule)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nom"), max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères. Une phrase facile à retenir est un bon choix."),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        if p1:
            user = get_user_model()(email=data.get("email", ""), first_name=data.get("first_name", ""),
                                    last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class FamilyKeyForm(forms.Form):
    key = forms.CharField(
        label=_("Clé famille"), max_length=30, help_text=_("Elle vous a été communiquée par le service enfance, "
                                                           "par exemple ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    civility = forms.ChoiceField(label=_("Civilité"), choices=Civility.choices, widget=forms.RadioSelect)
    relationship = forms.ChoiceField(
        label=_("Vous êtes"), choices=[("", "—"), *Guardian.Relationship.choices], required=False
    )


class AccountRequestForm(forms.ModelForm):
    class Meta:
        model = AccountRequest
        fields = ("first_name", "last_name", "email", "phone", "address", "postcode", "commune", "children",
                  "message")
        widgets = {"children": forms.Textarea(attrs={"rows": 3}), "message": forms.Textarea(attrs={"rows": 3})}

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_phone(value)
        return value

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        validate_postcode(value)
        return value


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("Nouvelle adresse e-mail"))
    password = forms.CharField(label=_("Mot de passe actuel"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset flow; the email is sent by a background task like every portal email."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from .services.emails import email_send

        email_send(to=to_email, template="password_reset", context={
            "reset_url": f"{context['protocol']}://{context['domain']}" + reverse(
                "portal:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}),
            "user": context["user"],
        })


class CoordinatesForm(forms.Form):
    """Every coordonnée of the foyer and of each responsable légal, pre-filled, in one form."""

    def __init__(self, *args, family: Family, guardians: list[Guardian], **kwargs):
        super().__init__(*args, **kwargs)
        self.family, self.guardians = family, guardians
        for name in FAMILY_FIELDS:
            model_field = Family._meta.get_field(name)
            self.fields[name] = model_field.formfield(validators=model_field.validators)
            self.initial.setdefault(name, getattr(family, name))
        for guardian in guardians:
            for name in GUARDIAN_FIELDS:
                model_field = Guardian._meta.get_field(name)
                key = f"g{guardian.pk}_{name}"
                self.fields[key] = model_field.formfield(validators=model_field.validators)
                self.fields[key].widget.attrs["autocomplete"] = "off"
                self.initial.setdefault(key, getattr(guardian, name))

    def guardian_fields(self):
        return [(g, [self[f"g{g.pk}_{name}"] for name in GUARDIAN_FIELDS]) for g in self.guardians]

    def family_fields(self):
        return [self[name] for name in FAMILY_FIELDS]

    def family_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in FAMILY_FIELDS}

    def guardians_data(self) -> dict[int, dict]:
        return {g.pk: {name: self.cleaned_data.get(f"g{g.pk}_{name}", "") for name in GUARDIAN_FIELDS}
                for g in self.guardians}


class ChildHealthForm(forms.ModelForm):
    """The fiche sanitaire; saving it means certifying it for the school year."""

    confirm = forms.BooleanField(
        label=_("Je certifie l'exactitude de ces informations pour cette année scolaire."), required=True,
        error_messages={"required": _("Cochez cette case pour confirmer la fiche sanitaire.")},
    )

    class Meta:
        model = Child
        fields = ("diet", "allergens", "allergies_other", "has_pai", "pai_details", "health_notes", "doctor_name",
                  "doctor_phone", "image_rights", "may_leave_alone")
        widgets = {
            "allergens": forms.CheckboxSelectMultiple,
            "allergies_other": forms.Textarea(attrs={"rows": 2}),
            "pai_details": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"allergens": IdModelMultipleChoiceField}

    def clean(self):
        data = super().clean()
        missing = health_form_missing(
            has_pai=bool(data.get("has_pai")), pai_details=data.get("pai_details") or "",
            doctor_name=data.get("doctor_name") or "",
        )
        for field, message in missing.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class VaccinationForm(forms.ModelForm):
    class Meta:
        model = Vaccination
        fields = ("vaccine", "date")
        widgets = {"date": DATE_WIDGET}


VaccinationFormSet = forms.inlineformset_factory(
    Child, Vaccination, form=VaccinationForm, extra=1, can_delete=True, max_num=30
)


class NewChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ("first_name", "last_name", "sex", "birth_date", "school", "class_level")
        widgets = {"birth_date": DATE_WIDGET}

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        validate_not_future(value)
        return value


class ContactForm(forms.ModelForm):
    children = IdModelMultipleChoiceField(
        label=_("Enfants concernés"), queryset=Child.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Aucun coché : tous les enfants."),
    )

    class Meta:
        model = Contact
        fields = ("first_name", "last_name", "relationship", "phone", "phone_other", "may_pick_up", "is_emergency")
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"}), "phone_other": forms.TextInput(
            attrs={"type": "tel"})}

    def __init__(self, *args, family: Family, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = Child.objects.filter(family=family)
        self.fields["children"].choices = [(c.pk, c.first_name) for c in children]
        if self.instance.pk:
            self.initial["children"] = [c.pk for c in self.instance.children.all()]


class CheckedFileField(forms.FileField):
    """A file checked by content and size (PDF, JPEG, PNG, HEIC; 10 Mo), with a French message."""

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data:
            upload_check(file=data)
        return data


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de document"), choices=[("", "—"), *PARENT_DOCUMENT_KINDS])
    child = forms.ModelChoiceField(label=_("Enfant concerné"), queryset=Child.objects.none(), required=False,
                                   empty_label=_("Toute la famille"))
    valid_until = forms.DateField(label=_("Valable jusqu'au"), required=False, widget=DATE_WIDGET,
                                  help_text=_("Facultatif : date de fin de validité du document."))
    file = CheckedFileField(label=_("Fichier"), help_text=_("PDF, JPEG, PNG ou HEIC, 10 Mo maximum."),
                            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.heic,"
                                                                                  "application/pdf,image/*"}))

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(family=family)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    attachment = CheckedFileField(label=_("Pièce jointe"), required=False,
                                  help_text=_("Facultatif : PDF, JPEG, PNG ou HEIC, 10 Mo maximum."))


class ConversationForm(MessageForm):
    subject = forms.CharField(label=_("Objet"), max_length=150)
    field_order = ["subject", "body", "attachment"]
