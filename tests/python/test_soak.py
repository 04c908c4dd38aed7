"""2,000 sequential executes with output: the kernel's memory after them minus after the first 100 stays under 50 MB."""
from conftest import execute, stdout_of

EXECUTES = 2000
ALLOWED_GROWTH_MB = 50


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_two_thousand_executes_with_output(fresh_kernel):
    km, kc = fresh_kernel
    pid = km.provisioner.process.pid
    execute(kc, "var soakCounter = 0;")
    after_first_hundred = None
    for i in range(1, EXECUTES + 1):
        msg_id = kc.execute('soakCounter++; Console.WriteLine($"line {soakCounter}");')
        reply = kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
        if i == 100:
            after_first_hundred = resident_mb(pid)
    growth = resident_mb(pid) - after_first_hundred
    _, outputs = execute(kc, "soakCounter")
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == [str(EXECUTES)]
    print(f"resident memory growth after the first 100 executes: {growth:.1f} MB")
    assert growth < ALLOWED_GROWTH_MB
    _, outputs = execute(kc, 'Console.WriteLine("still streaming");')
    assert stdout_of(outputs) == "still streaming\n"
