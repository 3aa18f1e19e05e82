from django.core.exceptions import ValidationError

MAX_INVOICE_BYTES = 5 * 1024 * 1024


def validate_upload_size(upload):
    if upload.size > MAX_INVOICE_BYTES:
        raise ValidationError("Invoices are limited to 5 MB.")


def validate_pdf_content(upload):
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError("Only PDF invoices are accepted.")
