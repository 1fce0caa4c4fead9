"""The base of every answer model (web.api_schema.answers and the modules beside it)."""

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """An answer's body: a member not listed here is refused (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")
