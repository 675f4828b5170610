using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Calls between the class's methods and local functions. BPF forbids recursion (the verifier
/// rejects call cycles), so every cycle is reported once, at the call that closes it (BPF0006).
/// </summary>
public sealed class CallGraph
{
    private readonly Dictionary<IMethodSymbol, List<(IMethodSymbol Callee, SyntaxNode Site)>> _edges = new(SymbolEqualityComparer.Default);

    public void AddFunction(IMethodSymbol method, IOperation body)
    {
        var list = new List<(IMethodSymbol, SyntaxNode)>();
        foreach (var op in body.Descendants())
        {
            if (op is IInvocationOperation inv && inv.TargetMethod.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction)
                list.Add((inv.TargetMethod.OriginalDefinition, inv.Syntax));
            // A local function's own body belongs to its own node, not to the enclosing method.
            if (op is ILocalFunctionOperation lf && lf.Body is not null) AddFunction(lf.Symbol, lf.Body);
        }
        _edges[method] = list;
    }

    /// <summary>Functions reachable from <paramref name="root"/> (including it).</summary>
    public IEnumerable<IMethodSymbol> Reachable(IMethodSymbol root)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<IMethodSymbol>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var m = stack.Pop();
            if (!seen.Add(m)) continue;
            if (_edges.TryGetValue(m, out var es)) foreach (var e in es) stack.Push(e.Callee);
        }
        return seen;
    }

    public void ReportCycles(List<DiagnosticInfo> diags)
    {
        var state = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default); // 1 = on stack, 2 = done
        var path = new List<IMethodSymbol>();
        foreach (var m in _edges.Keys.ToList()) Dfs(m, state, path, diags);
    }

    private void Dfs(IMethodSymbol m, Dictionary<IMethodSymbol, int> state, List<IMethodSymbol> path, List<DiagnosticInfo> diags)
    {
        if (state.TryGetValue(m, out var s) && s != 0) return;
        state[m] = 1;
        path.Add(m);
        if (_edges.TryGetValue(m, out var es))
            foreach (var (callee, site) in es)
            {
                if (state.TryGetValue(callee, out var cs) && cs == 1)
                {
                    int start = path.FindIndex(p => SymbolEqualityComparer.Default.Equals(p, callee));
                    var cycle = string.Join(" -> ", path.Skip(start).Select(p => p.Name).Concat(new[] { callee.Name }));
                    diags.Add(DiagnosticInfo.Create(BpfDiagnostics.Recursion, site.GetLocation(), callee.Name, cycle));
                }
                else if (_edges.ContainsKey(callee)) Dfs(callee, state, path, diags);
            }
        path.RemoveAt(path.Count - 1);
        state[m] = 2;
    }
}
