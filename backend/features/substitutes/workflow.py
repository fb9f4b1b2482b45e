"""Substitutes' hours (vikartimer) as one workflow: everything it brings to the platform, in one place."""

from __future__ import annotations

from backend.features.notify.emit import Text, announce
from backend.features.substitutes import calculation, code_sign_in, invitations
from backend.features.substitutes.controller import SubstitutesController
from backend.features.substitutes.demo import seed_substitutes
from backend.features.substitutes.models import (
    SignInCode,
    SignInCodeRequest,
    SubstituteInvitation,
    SubstituteRate,
    SubstituteSettings,
)
from backend.features.substitutes.record_type import CAPABILITIES, ENTRY, ENTRY_TYPE
from backend.features.workflow import Workflow

DECIDED = {
    "approve": (
        Text("Dine timer er godkendt", "Your hours were approved"),
        Text("De kommer med lønnen.", "They will be paid with your salary."),
    ),
    "reject": (
        Text("Dine timer er afvist", "Your hours were rejected"),
        Text("Ret registreringen og send den igen.", "Correct the entry and send it again."),
    ),
}

WORKFLOW = Workflow(
    name="substitutes",
    record_types=(ENTRY,),
    hooks={ENTRY_TYPE: (calculation.entries_changed, announce(ENTRY, "vikar", DECIDED))},
    wage_types=calculation.WAGE_TYPES,
    payables={ENTRY_TYPE: calculation.PAYABLE},
    controllers=(SubstitutesController, invitations.InvitationsController, code_sign_in.CodeSignInController),
    models=(SubstituteRate, SubstituteSettings, SubstituteInvitation, SignInCode, SignInCodeRequest),
    jobs=(*invitations.JOBS, *code_sign_in.JOBS),
    capabilities=CAPABILITIES,
    areas={"substitutes": "register_substitute_hours", "substitute_codes": "approve_substitute_hours"},
    seed=seed_substitutes,
)
