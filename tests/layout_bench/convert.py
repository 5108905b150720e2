"""Format conversions: DOCX to PDF with LibreOffice, PDF to a noisy image-only scan."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_files: list[Path], out_dir: Path, *, timeout: int = 240) -> str | None:
    """Print DOCX files to PDF with LibreOffice headless; returns a reason when it could not."""
    exe = soffice()
    if not exe:
        return "LibreOffice (soffice) is not installed: run scripts/install-system-deps.sh"
    profile = out_dir / ".lo-profile"
    cmd = [
        exe,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, docx_files),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"LibreOffice did not finish in {timeout} s"
    missing = [f.name for f in docx_files if not (out_dir / f"{f.stem}.pdf").exists()]
    if missing:
        return f"LibreOffice made no PDF of {', '.join(missing)}: {proc.stderr.strip()[-300:]}"
    return None


def scan_pdf(pdf: Path, out: Path, *, dpi: int = 200, seed: int = 7) -> str | None:
    """Render ``pdf`` and degrade it like an office scan; write an image-only PDF to ``out``.

    Paper tint, uneven illumination, speckle, a slight blur, a ~0.5 degree rotation, a red stamp
    over the signature of the last page, JPEG artefacts; no text layer.
    """
    try:
        import numpy as np
        import pypdfium2 as pdfium
        from PIL import Image, ImageDraw, ImageFilter
    except ImportError as err:  # numpy/Pillow come with pdfplumber and spacy today
        return f"the scan layout needs numpy, Pillow and pypdfium2 ({err})"
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    for index in range(len(document)):
        bitmap = document[index].render(scale=dpi / 72, grayscale=True)
        grey = bitmap.to_pil().convert("L")
        grey = grey.filter(ImageFilter.GaussianBlur(0.55))
        a = np.asarray(grey, dtype=np.float32) / 255.0
        h, w = a.shape
        # uneven illumination: darker towards one corner
        yy, xx = np.mgrid[0:h, 0:w]
        light = 1.0 - 0.06 * (xx / w) - 0.04 * (yy / h)
        a = a * light + nrng.normal(0.0, 0.035, a.shape)
        # speckle: dark dots and a few light drop-outs
        dots = nrng.random(a.shape) < 0.0009
        a[dots] = nrng.uniform(0.05, 0.45, int(dots.sum()))
        drops = (nrng.random(a.shape) < 0.0015) & (a < 0.5)
        a[drops] = 0.85
        a = np.clip(a, 0.0, 1.0)
        paper = np.array([0.97, 0.94, 0.86], dtype=np.float32)  # yellowish paper
        rgb = (a[..., None] * paper[None, None, :] * 255.0).astype(np.uint8)
        img = Image.fromarray(rgb, "RGB")
        seal = _find(document[index], "CHỦ TỊCH", dpi / 72, h)
        if seal:
            _stamp(img, ImageDraw, dpi, seal)
        angle = rng.choice((-1, 1)) * rng.uniform(0.4, 0.6)
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(236, 229, 210))
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=45)
        buffer.seek(0)
        pages.append(Image.open(buffer).convert("RGB"))
    document.close()
    pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return None


def _find(page, text: str, scale: float, height: int) -> tuple[int, int] | None:
    """Pixel centre of the first occurrence of ``text`` on a PDF page (the signature title)."""
    textpage = page.get_textpage()
    try:
        found = textpage.search(text, match_case=True).get_next()
        if not found:
            return None
        left, _bottom, _right, top = textpage.get_charbox(found[0])
        return int(left * scale + 20 * scale), int(height - top * scale)
    finally:
        textpage.close()


def _stamp(img, image_draw, dpi: int, centre: tuple[int, int]) -> None:
    """A red round seal over the signature title, as a ward's seal overlaps 'CHỦ TỊCH'."""
    draw = image_draw.Draw(img, "RGBA")
    r = int(dpi / 2.54 * 1.7)  # ~3.4 cm wide
    cx, cy = centre[0] - int(r * 0.3), centre[1] + int(r * 0.2)
    colour = (200, 30, 40, 150)
    for rad, width in ((r, 6), (int(r * 0.72), 3)):
        draw.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), outline=colour, width=width)
    s = int(r * 0.25)
    star = [
        (cx, cy - s),
        (cx + int(s * 0.3), cy - int(s * 0.3)),
        (cx + s, cy - int(s * 0.2)),
        (cx + int(s * 0.45), cy + int(s * 0.2)),
        (cx + int(s * 0.6), cy + s),
        (cx, cy + int(s * 0.5)),
        (cx - int(s * 0.6), cy + s),
        (cx - int(s * 0.45), cy + int(s * 0.2)),
        (cx - s, cy - int(s * 0.2)),
        (cx - int(s * 0.3), cy - int(s * 0.3)),
    ]
    draw.polygon(star, fill=colour)
