"""A multi-cell notebook run by Debian's nbclient through the installed kernelspec and by `theon run` agree."""
import json
import subprocess

import nbformat
from nbclient import NotebookClient

CELLS = [
    ("code", 'var a = 2;\nConsole.WriteLine($"a is {a}");'),
    ("markdown", "Some prose between cells."),
    ("code", "display(a * 10);\na + 1"),
    ("code", 'Console.Error.WriteLine("a warning");\nnew[] { 1, 2, 3 }.Sum()'),
    ("code", "int Square(int v) => v * v;\n"
             "for (var i = 0; i < 3; i++) Console.Write(Square(i + a));\nConsole.WriteLine();"),
    ("code", 'var h = display("first");\nh.Update("second");\nnew { Name = "theon" }'),
]


def make_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
                for kind, src in CELLS]
    nbformat.write(nb, path)


def normalized(outputs):
    """Output type and content, with consecutive stream chunks of one stream merged."""
    result = []
    for out in outputs:
        kind = out["output_type"]
        if kind == "stream":
            if result and result[-1][0] == "stream" and result[-1][1] == out["name"]:
                result[-1] = ("stream", out["name"], result[-1][2] + out["text"])
            else:
                result.append(("stream", out["name"], out["text"]))
        elif kind in ("display_data", "execute_result"):
            result.append((kind, json.dumps(out["data"], sort_keys=True)))
        else:
            result.append((kind, out.get("ename"), out.get("evalue")))
    return result


def test_nbclient_and_theon_run_give_the_same_outputs(kernelspec, theon, tmp_path):
    source = tmp_path / "cells.ipynb"
    make_notebook(source)

    nb = nbformat.read(source, as_version=4)
    NotebookClient(nb, kernel_name="theon", timeout=60, resources={"metadata": {"path": str(tmp_path)}}).execute()

    ran = tmp_path / "ran.ipynb"
    result = subprocess.run([str(theon), "run", str(source), "--output", str(ran)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "a is 2" in result.stdout
    by_theon = nbformat.read(ran, as_version=4)
    nbformat.validate(by_theon)
    assert by_theon.nbformat == 4 and by_theon.nbformat_minor == 5

    code_by_client = [c for c in nb.cells if c.cell_type == "code"]
    code_by_theon = [c for c in by_theon.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code_by_theon] == [1, 2, 3, 4, 5]
    assert [c.execution_count for c in code_by_client] == [1, 2, 3, 4, 5]
    for client_cell, theon_cell in zip(code_by_client, code_by_theon):
        assert normalized(theon_cell.outputs) == normalized(client_cell.outputs)
    assert normalized(code_by_theon[0].outputs) == [("stream", "stdout", "a is 2\n")]
    displayed = json.loads(normalized(code_by_theon[4].outputs)[0][1])
    assert displayed == {"text/plain": "second"}


def test_theon_run_names_the_cell_and_line_of_the_first_error(theon, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("var ok = 1;"),
                nbformat.v4.new_code_cell("var x = 1;\nvar y = x / (x - 1);"),
                nbformat.v4.new_code_cell('Console.WriteLine("never");')]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run([str(theon), "run", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "error in cell 2, line 2: DivideByZeroException" in result.stderr
    assert "never" not in result.stdout


def test_theon_run_a_script(theon, tmp_path):
    script = tmp_path / "s.csx"
    script.write_text('var n = 3;\nCheck(n == 3, "n is 3");\nConsole.WriteLine(n * 2);\n')
    result = subprocess.run([str(theon), "run", str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "6\n"


def test_install_writes_a_kernelspec_with_logos(theon, tmp_path):
    subprocess.run([str(theon), "install", "--prefix", str(tmp_path), "--name", "theon-test"], check=True,
                   capture_output=True)
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / "theon-test"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["language"] == "csharp"
    assert spec["display_name"].startswith("C# (Theon)")
    assert spec["interrupt_mode"] == "message"
    assert spec["env"] == {"DOTNET_TieredCompilation": "0"}
    assert spec["argv"][-3:] == ["kernel", "--connection-file", "{connection_file}"]
    for size in (32, 64):
        png = (spec_dir / f"logo-{size}x{size}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == size


def test_version(theon):
    result = subprocess.run([str(theon), "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.strip().startswith("0.1.0")
