"""Engines that run :func:`vanban.pipeline.batch.extract_batch` on many machines."""
