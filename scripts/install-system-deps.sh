#!/usr/bin/env bash
# System packages vanban uses beyond its Python dependencies: Tesseract OCR with
# Vietnamese data (scanned PDF pages), LibreOffice Writer (legacy .doc files) and
# Chromium (only the test that renders `vanban report` in a headless browser).
# Best effort: it never fails the build. Without them scanned pages come out as
# a `partial` document ("OCR unavailable: install tesseract-ocr and
# tesseract-ocr-vie") and .doc files as `failed` with the reason and the fix.
set -u

PACKAGES=(tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui)
# Installed on its own, so a platform without it still gets the OCR packages.
TEST_PACKAGES=(chromium)

have_ocr() {
    command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie \
        && { command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; }
}

have_browser() {
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

if have_ocr && have_browser; then
    echo "system-deps: tesseract (vie), LibreOffice and Chromium already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: apt-get not available; install ${PACKAGES[*]} by hand for OCR of scanned PDFs" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "system-deps: not root and no passwordless sudo; install ${PACKAGES[*]} by hand for OCR" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# Install from the current package lists first; refresh them only if that fails.
if ! $SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null 2>&1 || true
    $SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1 || true
fi

if have_ocr; then
    echo "system-deps: installed ${PACKAGES[*]}"
else
    echo "system-deps: could not install ${PACKAGES[*]}; scanned PDFs will be reported as partial" >&2
fi

if ! have_browser; then
    if ! $SUDO apt-get install -y -q --no-install-recommends "${TEST_PACKAGES[@]}" >/dev/null 2>&1; then
        $SUDO apt-get update -q >/dev/null 2>&1 || true
        $SUDO apt-get install -y -q --no-install-recommends "${TEST_PACKAGES[@]}" >/dev/null 2>&1 || true
    fi
fi
if ! have_browser; then
    echo "system-deps: could not install ${TEST_PACKAGES[*]}; the report rendering test will be skipped" >&2
fi
exit 0
