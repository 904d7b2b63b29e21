"""Draws the QGIS dialog of docs/ogcapi.md with the values GeoRisk needs, as QGIS itself shows it.

Run with Debian's python3-qgis, headless:
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 docs/images/qgis_screenshots.py docs/images
The dialog is QGIS's own widget (qgis.gui), filled in and grabbed; nothing is drawn by hand.
"""
import os
import sys

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QComboBox, QLineEdit

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
app = QgsApplication([], True)
app.initQgis()
from qgis.gui import QgsNewHttpConnection  # needs the application first


def field(dialog, kind, name):
    widget = dialog.findChild(kind, name)
    if widget is None:
        sys.exit(f"this QGIS has no field {name} in {type(dialog).__name__}")
    return widget


dialog = QgsNewHttpConnection(None, QgsNewHttpConnection.ConnectionWfs, "qgis/connections-wfs/", "GeoRisk")
field(dialog, QLineEdit, "txtUrl").setText("https://georisk.example/ogc")
field(dialog, QLineEdit, "txtPageSize").setText("1000")
version = field(dialog, QComboBox, "cmbVersion")
version.setCurrentIndex(version.findText("OGC API - Features"))
dialog.resize(640, 560)
dialog.show()
app.processEvents()
path = os.path.join(OUT, "qgis-oapif-connection.png")
if not dialog.grab().save(path):
    sys.exit(f"could not write {path}")
print(path, QgsApplication.instance().applicationVersion() if hasattr(QgsApplication, "applicationVersion") else "")
app.exitQgis()
