import subprocess
import sys


def test_tiktoken_counts_offline_from_a_fresh_cache(tmp_path):
    # A new process with an empty cache dir and no network route for tiktoken: seeding must make it work.
    code = ("from assist.adapters.tiktoken_counter import TiktokenCounter; c = TiktokenCounter('o200k_base');"
            "print(c.count('我是王女士委托的法务，她的事情以后都由我来跟你们谈。'))")
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path / "tk"), "PATH": "/usr/bin:/bin", "HTTPS_PROXY": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert 10 < int(out.stdout.strip()) < 40
    assert any((tmp_path / "tk").iterdir())
