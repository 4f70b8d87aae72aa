# gunicorn -c config/gunicorn.conf.py config.wsgi
import os

bind = os.environ.get("ATIS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ATIS_WORKERS", "3"))
timeout = 60
accesslog = "-"
# The access log format leaves out query strings: nothing sensitive in logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
