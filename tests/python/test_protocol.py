"""The kernel driven by Debian's jupyter_client over real sockets: one shared kernel for this module."""
from conftest import execute, shell_reply, stdout_of


def test_kernel_info(kernel):
    _, kc = kernel
    reply = shell_reply(kc, kc.kernel_info())["content"]
    assert reply["status"] == "ok"
    assert reply["protocol_version"] == "5.3"
    assert reply["implementation"] == "theon"
    assert reply["language_info"]["name"] == "csharp"
    assert reply["language_info"]["file_extension"] == ".cs"


def test_execute_streams_result_and_status_order(kernel):
    _, kc = kernel
    code = 'var answer = 41;\nConsole.WriteLine("out");\nConsole.Error.WriteLine("err");\nanswer + 1'
    reply, outputs = execute(kc, code)
    assert reply["status"] == "ok"
    types = [t for t, _ in outputs]
    assert types[0] == "status" and outputs[0][1]["execution_state"] == "busy"
    assert types[1] == "execute_input"
    assert types[-1] == "status" and outputs[-1][1]["execution_state"] == "idle"
    streams = [(c["name"], c["text"]) for t, c in outputs if t == "stream"]
    assert streams == [("stdout", "out\n"), ("stderr", "err\n")]
    result = [c for t, c in outputs if t == "execute_result"][0]
    assert result["data"]["text/plain"] == "42"
    assert result["execution_count"] == reply["execution_count"]


def test_state_survives_an_error(kernel):
    _, kc = kernel
    execute(kc, "var kept = 7;")
    reply, outputs = execute(kc, "var a = 1;\nvar b = notDefined + 1;")
    assert reply["status"] == "error"
    assert reply["ename"] == "CompilationError"
    assert "(2,9)" in reply["evalue"] and "CS0103" in reply["evalue"]
    assert [c["ename"] for t, c in outputs if t == "error"] == ["CompilationError"]
    reply, outputs = execute(kc, "var zero = 0; var boom = kept / zero;")
    assert reply["ename"] == "DivideByZeroException"
    assert any("line 1" in line for line in reply["traceback"])
    _, outputs = execute(kc, "kept")
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == ["7"]


def test_output_from_threads_and_tasks_is_captured_in_order(kernel):
    _, kc = kernel
    code = ('Console.WriteLine("first");\n'
            'await Task.Run(() => Console.WriteLine("from a task"));\n'
            'var t = new Thread(() => Console.WriteLine("from a thread")); t.Start(); t.Join();\n'
            'Console.WriteLine("last");')
    reply, outputs = execute(kc, code)
    assert reply["status"] == "ok"
    assert stdout_of(outputs) == "first\nfrom a task\nfrom a thread\nlast\n"


def test_display_update_and_clear_output(kernel):
    _, kc = kernel
    reply, outputs = execute(kc, 'var handle = display("before");\nhandle.Update("after");\nclear_output(wait: true);')
    assert reply["status"] == "ok"
    shown = [(t, c) for t, c in outputs if t in ("display_data", "update_display_data", "clear_output")]
    assert [t for t, _ in shown] == ["display_data", "update_display_data", "clear_output"]
    display_id = shown[0][1]["transient"]["display_id"]
    assert shown[1][1]["transient"]["display_id"] == display_id
    assert shown[0][1]["data"]["text/plain"] == "before"
    assert shown[1][1]["data"]["text/plain"] == "after"
    assert shown[2][1]["wait"] is True


def test_rich_output_goes_through_the_formatting_registry(kernel):
    _, kc = kernel
    _, outputs = execute(kc, "new { Name = \"theon\", Cells = 3 }")
    data = [c["data"] for t, c in outputs if t == "execute_result"][0]
    assert "text/html" in data and "theon" in data["text/html"]
    assert "Name" in data["text/plain"]


def test_silent_and_store_history(kernel):
    _, kc = kernel
    before, _ = execute(kc, "1")
    reply, outputs = execute(kc, 'Console.WriteLine("quiet"); 5', silent=True)
    assert reply["status"] == "ok"
    assert [t for t, _ in outputs] == ["status", "status"]
    reply, outputs = execute(kc, "2", store_history=False)
    assert reply["execution_count"] == before["execution_count"]
    after, _ = execute(kc, "3")
    assert after["execution_count"] == before["execution_count"] + 1


def test_user_expressions(kernel):
    _, kc = kernel
    execute(kc, "var ue = 20;")
    reply, _ = execute(kc, "ue++;", user_expressions={"double": "ue * 2", "bad": "nope"})
    assert reply["user_expressions"]["double"] == {"status": "ok", "data": {"text/plain": "42"}, "metadata": {}}
    assert reply["user_expressions"]["bad"]["status"] == "error"


def test_stop_on_error_aborts_queued_executes(kernel):
    _, kc = kernel
    first = kc.execute('throw new Exception("stop here");')
    second = kc.execute('Console.WriteLine("must not run");')
    assert shell_reply(kc, first)["content"]["status"] == "error"
    assert shell_reply(kc, second)["content"]["status"] == "aborted"
    reply, _ = execute(kc, "1 + 1")
    assert reply["status"] == "ok"


def test_completion(kernel):
    _, kc = kernel
    execute(kc, "var myFavouriteNumber = 12;")
    reply = shell_reply(kc, kc.complete("myFav", 5))["content"]
    assert reply["status"] == "ok" and "myFavouriteNumber" in reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (0, 5)
    code = "myFavouriteNumber.CompareT"
    reply = shell_reply(kc, kc.complete(code, len(code)))["content"]
    assert reply["matches"] == ["CompareTo"]
    assert reply["cursor_start"] == len("myFavouriteNumber.")
    reply = shell_reply(kc, kc.complete("Chec", 4))["content"]
    assert "Check" in reply["matches"]
    reply = shell_reply(kc, kc.complete("dscal", 5))["content"]
    assert "dscalar" in reply["matches"]
    execute(kc, 'var sym = dscalar("sym");')
    reply = shell_reply(kc, kc.complete("sym.dimsh", 9))["content"]
    assert "dimshuffle" in reply["matches"]


def test_inspection(kernel):
    _, kc = kernel
    reply = shell_reply(kc, kc.inspect("Check(true, \"x\")", 2))["content"]
    assert reply["status"] == "ok" and reply["found"] is True
    text = reply["data"]["text/plain"]
    assert "Check(bool, string)" in text
    assert "assertion" in text
    reply = shell_reply(kc, kc.inspect("function", 3))["content"]
    assert "Theon.T.function(" in reply["data"]["text/plain"]
    reply = shell_reply(kc, kc.inspect("   ", 1))["content"]
    assert reply["found"] is False


def test_is_complete(kernel):
    _, kc = kernel
    assert shell_reply(kc, kc.is_complete("var x = 1;"))["content"]["status"] == "complete"
    assert shell_reply(kc, kc.is_complete("if (true) {"))["content"]["status"] == "incomplete"
    assert shell_reply(kc, kc.is_complete("Console.WriteLine(1"))["content"]["status"] == "incomplete"


def test_history(kernel):
    _, kc = kernel
    execute(kc, "var historyMarker = 1;")
    execute(kc, "historyMarker + 1")
    tail = shell_reply(kc, kc.history(hist_access_type="tail", n=2))["content"]["history"]
    assert [entry[2] for entry in tail] == ["var historyMarker = 1;", "historyMarker + 1"]
    session, line = tail[0][0], tail[0][1]
    ranged = shell_reply(kc, kc.history(hist_access_type="range", session=session, start=line, stop=line + 1,
                                        output=True))["content"]["history"]
    assert ranged == [[session, line, ["var historyMarker = 1;", None]]]
    found = shell_reply(kc, kc.history(hist_access_type="search", pattern="historyMarker +*"))["content"]["history"]
    assert [entry[2] for entry in found] == ["historyMarker + 1"]


def test_comm_info_is_empty(kernel):
    _, kc = kernel
    assert shell_reply(kc, kc.comm_info())["content"] == {"status": "ok", "comms": {}}


def test_whos_displays_the_session_variables(kernel):
    _, kc = kernel
    reply, outputs = execute(kc, 'var whosCount = 1;\nvar whosPage = "<script>alert(1)</script>";\n#!whos')
    assert reply["status"] == "ok"
    data = [c["data"] for t, c in outputs if t == "display_data"][0]
    assert "<table" in data["text/html"] and "<code>whosCount</code>" in data["text/html"]
    assert "&lt;script&gt;" in data["text/html"] and "<script>" not in data["text/html"]
    rows = data["text/plain"].splitlines()
    assert rows[0].split() == ["Name", "Type", "Value"]
    assert ["whosCount", "int", "1"] in [row.split() for row in rows]


def test_whos_sees_assignments_of_a_cell_that_declares_nothing(kernel):
    _, kc = kernel
    execute(kc, "var whosLater = 1;")
    reply, outputs = execute(kc, "#!whos\nwhosLater = 2;\nwhosLater + 40")
    assert reply["status"] == "ok"
    data = [c["data"] for t, c in outputs if t == "display_data"][0]
    assert ["whosLater", "int", "2"] in [row.split() for row in data["text/plain"].splitlines()]
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == ["42"]
