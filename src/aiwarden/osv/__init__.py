"""Offline vulnerability data in the OSV format: records, matching and local stores.

Records come from the curated snapshot bundled with aiwarden
(:class:`~aiwarden.osv.store.BundledStore`) and, when the user has imported an OSV
ecosystem dump with ``aiwarden db import``, from a local SQLite database
(:class:`~aiwarden.osv.sqlite_store.SqliteStore`). Nothing here touches the network.
"""
