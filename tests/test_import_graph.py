"""The domain services import each other without cycles: a module low in the graph
(changes, validation) never reaches back up to one that uses it, not even from inside a
function. Read from the source's import statements, so it holds whether or not they run."""
import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "app" / "services"


def imports_of(path: Path) -> set[str]:
    """The sibling service modules a file imports (`from . import x`, `from .x import y`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {a.name for a in node.names} if node.module is None else {node.module}
    return names


def test_the_services_import_graph_has_no_cycles():
    modules = {p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__"}
    graph = {m: imports_of(SERVICES / f"{m}.py") & modules for m in modules}
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError("import cycle: " + " → ".join(
                path[path.index(module):] + [module]))
        if module not in done:
            path.append(module)
            for imported in sorted(graph[module]):
                visit(imported)
            path.pop()
            done.add(module)

    for module in sorted(modules):
        visit(module)
