"""Router for /ask (being written; see api/app.py)."""

from fastapi import APIRouter

router = APIRouter()
