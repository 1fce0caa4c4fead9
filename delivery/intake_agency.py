"""For which issuing agency a caller may create items (intake).

- An agency's API key: its own agency, always (it cannot send for another one). A key of no agency,
  such as a postal-network key (which never takes items in), may not create items.
- Counter staff (and supervisors): the agencies their office serves (delivery.organisation.
  OfficeAgency); an admin: any agency.

The dossier code itself must then belong to that agency (delivery.dossier.check_unit_code).
"""

from __future__ import annotations

from sqlmodel import Session, select

from .access import Scope, visible_agencies
from .errors import ValidationFailed
from .models import Agency, ApiClient

NO_AGENCY = ("Khóa API này không thuộc cơ quan nào nên không tạo được bưu gửi / "
             "this key belongs to no agency, so it cannot create consignments")
NOT_SERVED = ("Cơ quan giải quyết / Issuing agency: không phải cơ quan mà bưu cục này phục vụ; "
              "chọn một cơ quan trong danh sách / not an agency your office serves; choose one "
              "from the list")


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed({"agency_code": message}, detail=message)


def agency_of_client(session: Session, client_id: int, agency_code: object = None) -> Agency:
    """The agency API client ``client_id`` creates items for: its own. ``agency_code`` (as the body
    sent it, if at all) may only repeat that agency's code. Raises ValidationFailed (field
    ``agency_code``) for a key of no agency, a postal-network key, or another agency's code."""
    client = session.get(ApiClient, client_id)
    if client is None or client.postal or client.agency_id is None:
        raise _refused(NO_AGENCY)
    agency = session.get(Agency, client.agency_id)
    if agency_code not in (None, "", agency.code):
        raise _refused(f"Khóa API này chỉ gửi bưu gửi của cơ quan {agency.code} / this key sends "
                       f"items of agency {agency.code} only")
    return agency


def agencies_for_staff(session: Session, scope: Scope) -> list[Agency]:
    """The agencies a staff user may create items for: those ``scope`` acts for
    (delivery.access.visible_agencies: an admin all, others those their office serves), by name:
    what the counter's forms offer."""
    statement = select(Agency).where(visible_agencies(scope)).order_by(Agency.name, Agency.code)
    return list(session.exec(statement).all())


def agency_for_staff(session: Session, agency_code: object, scope: Scope) -> Agency:
    """The agency with ``agency_code`` when the staff user may create items for it (see
    agencies_for_staff). Raises ValidationFailed (field ``agency_code``) otherwise; an unknown code
    gets the same answer as an agency the office does not serve."""
    code = agency_code.strip() if isinstance(agency_code, str) else ""
    agency = session.exec(select(Agency).where(visible_agencies(scope),
                                               Agency.code == code)).first()
    if agency is None:
        raise _refused(NOT_SERVED if not scope.everything else
                       "Cơ quan giải quyết / Issuing agency: không có cơ quan mã này / "
                       "no agency has this code")
    return agency


def agencies_taking_dossiers(session: Session) -> list[Agency]:
    """Every agency, by name: a one-stop shop takes a citizen's dossier for any agency, regardless
    of administrative boundary (the paper then travels to the agency by post), where a result is
    created only by the counter serving its agency (``agencies_for_staff``)."""
    return list(session.exec(select(Agency).order_by(Agency.name, Agency.code)).all())


def agency_taking_dossier(session: Session, agency_code: object) -> Agency:
    """The agency with ``agency_code`` (see agencies_taking_dossiers); ValidationFailed (field
    ``agency_code``) for none."""
    code = agency_code.strip() if isinstance(agency_code, str) else ""
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise _refused("Cơ quan giải quyết / Issuing agency: không có cơ quan mã này / "
                       "no agency has this code")
    return agency
