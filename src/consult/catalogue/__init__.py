"""The service catalogue: what each area offers, as data (``product.md``, "Services").

- ``model``: a service and a catalogue (frozen dataclasses; the closed lists of organisations,
  statuses and areas a catalogue may name);
- ``file``: the TOML file read key by key, each problem one line naming the service and the
  key, every text through the privacy gate; the shipped starter catalogue;
- ``next_steps``: the services a result names for a client's area and domains, and each
  organisation's consultation role for a bilateral consultation.

May import: consult.scoring, consult.privacy, consult.system, consult.i18n, consult.core. No UI,
no database: the store keeps the activated versions' texts and reads them back through here.
"""

from consult.catalogue.model import Catalogue, Organisation, Service, ServiceStatus

__all__ = ["Catalogue", "Organisation", "Service", "ServiceStatus"]
