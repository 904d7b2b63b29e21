"""QGIS (PyQGIS, headless) as a GIS analyst's client of GeoRisk's OGC API.

Usage: QT_QPA_PLATFORM=offscreen GEORISK_KEY=grk_... python3 pyqgis_client.py BASE_URL COLLECTION Z X Y CODE

Adds the OGC API - Features collection as a layer (provider OAPIF) and reads all its features;
adds the areas collection's WebMercatorQuad tiles as a vector tile layer and draws tile Z/X/Y
with only the feature CODE filled. Prints what QGIS read as one JSON object.
QGIS 3.22 (Debian 12) has no "API Header" authentication method, so the Bearer header is added
by a network request preprocessor, only for requests to BASE_URL's origin.
"""
import json
import os
import sys
import tempfile

from qgis.core import (Qgis, QgsApplication, QgsCoordinateReferenceSystem, QgsDataSourceUri, QgsFillSymbol,
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsNetworkAccessManager, QgsRectangle,
                       QgsVectorLayer, QgsVectorTileBasicRenderer, QgsVectorTileBasicRendererStyle,
                       QgsVectorTileLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize, QUrl
from qgis.PyQt.QtGui import QColor

base, collection, z, x, y, highlight = sys.argv[1].rstrip('/'), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
key = os.environ['GEORISK_KEY']
origin = QUrl(base).adjusted(QUrl.RemovePath | QUrl.RemoveQuery).toString()

# A profile of its own: nothing from (or into) a user's QGIS settings.
os.environ.setdefault('QGIS_CUSTOM_CONFIG_PATH', tempfile.mkdtemp(prefix='georisk-qgis-'))
app = QgsApplication([], False)
app.initQgis()

seen = {'with_key': 0, 'other_origin': 0}


def add_key(request):
    if request.url().toString().startswith(origin + '/'):
        request.setRawHeader(b'Authorization', ('Bearer ' + key).encode())
        seen['with_key'] += 1
    else:
        seen['other_origin'] += 1


QgsNetworkAccessManager.setRequestPreprocessor(add_key)

result = {'qgis': Qgis.QGIS_VERSION}

layer = QgsVectorLayer(f"url='{base}/ogc' typename='{collection}' restrictToRequestBBOX='0' pageSize='500'", collection, 'OAPIF')
result['oapif_valid'] = layer.isValid()
if layer.isValid():
    codes = [f['code'] for f in layer.getFeatures()]
    result['oapif_count'] = len(codes)
    result['oapif_distinct_codes'] = len(set(codes))
    result['oapif_crs'] = layer.crs().authid()
    result['oapif_fields'] = [f.name() for f in layer.fields()]
else:
    result['oapif_error'] = 'layer not valid'

uri = QgsDataSourceUri()
uri.setParam('type', 'xyz')
uri.setParam('url', base + '/ogc/collections/areas/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt')
uri.setParam('zmin', '5')
uri.setParam('zmax', '16')
tiles = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), 'areas tiles')
result['vt_valid'] = tiles.isValid()
if tiles.isValid():
    # PyQGIS 3.22 exposes no MVT decoder, so QGIS shows what it read the way an analyst sees it:
    # the tile is drawn with one style that fills only the feature whose code is asked for.
    style = QgsVectorTileBasicRendererStyle('highlight', 'areas', QgsWkbTypes.PolygonGeometry)
    style.setFilterExpression(f"\"code\" = '{highlight}'")
    style.setSymbol(QgsFillSymbol.createSimple({'color': '255,0,0,255', 'outline_style': 'no'}))
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles([style])
    tiles.setRenderer(renderer)
    half = 20037508.342789244
    span = 2 * half / (1 << z)
    extent = QgsRectangle(-half + x * span, half - (y + 1) * span, -half + (x + 1) * span, half - y * span)
    settings = QgsMapSettings()
    settings.setLayers([tiles])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem('EPSG:3857'))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(512, 512))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    red, sx, sy = 0, 0.0, 0.0
    for py in range(0, image.height(), 2):
        for px in range(0, image.width(), 2):
            c = image.pixelColor(px, py)
            if c.red() > 200 and c.green() < 60 and c.blue() < 60:
                red += 1
                sx += px
                sy += py
    result['vt_red_pixels'] = red
    if red:
        e = settings.visibleExtent()
        result['vt_red_centre'] = [e.xMinimum() + (sx / red + 0.5) / image.width() * e.width(),
                                   e.yMaximum() - (sy / red + 0.5) / image.height() * e.height()]

result['requests_with_key'] = seen['with_key']
result['requests_elsewhere'] = seen['other_origin']
print(json.dumps(result), flush=True)
# PyQGIS 3.22 can crash while tearing down layers that made network requests (exitQgis and
# interpreter shutdown): the answer is out, so leave without the teardown.
os._exit(0)
