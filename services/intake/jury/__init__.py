"""The jury's commands (docs/api.md, docs/rules.md): the chief expert and organizers steer a
skill, every command a record in the log that every intake follows.

- `commands.py`: visibility and reveal, and what every jury command shares (who may act, its
  id, storing it, the controls it leaves: `JuryStored`).
- `locks.py`: locking and unlocking a criterion or sub-criterion.
- `statuses.py`: a competitor's status, with a reason (`StatusStored`).
- `audit.py`: every accepted command, oldest first (`AuditPage`), its entries built from the
  log's own commands.
- `signins.py`: revoking a person's sign-in, and the sessions seen (docs/signin.md).
- `forms.py`: the marking forms, their sign-off and reopening (docs/rules.md, "Sign-off");
  `printing.py`: a form as a printable A4 page for the paper archive.
- `openapi.py`: these endpoints' part of the OpenAPI document.
"""
