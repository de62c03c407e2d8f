"""Router for /health (being written; see api/app.py)."""

from fastapi import APIRouter

router = APIRouter()
