using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Lowers one BPF class to an <see cref="IrModule"/>: maps, globals, programs and every function they
/// reach (static methods and local functions become subprograms; [Global] methods global functions).
/// Subset checks run first; functions are lowered only when the class has no errors.
/// </summary>
public sealed class ModuleLowering
{
    private readonly Compilation _compilation;
    private readonly Queue<(IMethodSymbol Method, IrFunction Function, MapBindings? Maps)> _pending = new();

    public ModuleLowering(Compilation compilation, BpfClassModel model, KnownSymbols known, List<DiagnosticInfo> diags)
    {
        _compilation = compilation;
        Model = model;
        Known = known;
        Diagnostics = diags;
        Module = new IrModule(model.Type.Name) { License = model.License };
    }

    public BpfClassModel Model { get; }
    public KnownSymbols Known { get; }
    public List<DiagnosticInfo> Diagnostics { get; }
    public IrModule Module { get; }
    public TypeMapper Types { get; } = new();
    internal Dictionary<IFieldSymbol, MapDefinition> Maps { get; } = new(SymbolEqualityComparer.Default);
    internal Dictionary<IFieldSymbol, GlobalVariable> Globals { get; } = new(SymbolEqualityComparer.Default);
    internal Dictionary<IMethodSymbol, IrFunction> Functions { get; } = new(SymbolEqualityComparer.Default);
    internal Dictionary<string, GlobalVariable> Strings { get; } = new();

    /// <summary>Bodies of methods and local functions (local functions are found inside their method's body).</summary>
    private readonly Dictionary<IMethodSymbol, IOperation> _bodies = new(SymbolEqualityComparer.Default);

    public IrModule? Lower(CancellationToken ct)
    {
        var graph = new CallGraph();
        var roots = Model.Programs.Select(p => p.Method)
            .Concat(Model.Type.GetMembers().OfType<IMethodSymbol>().Where(m => KnownSymbols.HasAttribute(m, Known.GlobalAttribute)))
            .ToList();
        foreach (var m in Model.Type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
        {
            var body = BodyOf(m);
            if (body is null) continue;
            _bodies[m] = body;
            foreach (var lf in body.Descendants().OfType<ILocalFunctionOperation>())
                if (lf.Body is not null) _bodies[lf.Symbol] = lf.Body;
            graph.AddFunction(m, body);
        }
        ct.ThrowIfCancellationRequested();

        var reachable = new HashSet<IMethodSymbol>(roots.SelectMany(graph.Reachable), SymbolEqualityComparer.Default);
        int before = Diagnostics.Count;
        foreach (var m in reachable.Where(m => m.MethodKind == MethodKind.Ordinary && _bodies.ContainsKey(m)))
        {
            SubsetChecker.Check(Model.Type, m, _bodies[m], Types, Diagnostics);
            NullCheckAnalysis.Check(_bodies[m], Diagnostics);
            int stack = StackEstimator.Estimate(_bodies[m], Types);
            if (stack > 512) Diagnostics.Add(DiagnosticInfo.Create(BpfDiagnostics.StackTooLarge, m.Locations.FirstOrDefault(), m.Name, stack));
        }
        graph.ReportCycles(Diagnostics);
        if (Diagnostics.Count > before || Diagnostics.Count > 0) return null;

        foreach (var tree in Model.Type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).Distinct())
            Module.SourceTexts[tree.FilePath] = tree.GetText(ct).ToString();
        LowerMaps();
        // only statics the programs use become globals: a class may keep native-only statics beside its programs
        var usedStatics = new HashSet<IFieldSymbol>(reachable.Where(_bodies.ContainsKey)
            .SelectMany(m => _bodies[m].Descendants().OfType<IFieldReferenceOperation>())
            .Select(f => f.Field.OriginalDefinition).Where(f => f.IsStatic), SymbolEqualityComparer.Default);
        LowerGlobals(usedStatics, ct);
        if (Diagnostics.Count > before) return null;

        foreach (var p in Model.Programs)
        {
            var f = Module.AddProgram(p.Method.Name, p.Section, Types.Map(p.Method.ReturnType) ?? IntType.Int);
            f.Location = LocationOf(p.Method.Locations.FirstOrDefault());
            Functions[p.Method] = f;
            _pending.Enqueue((p.Method, f, null));
        }
        Frontend.StructOps.StructOpsLowering.AddVariable(this); // kernelkinds: the .struct_ops instance
        foreach (var g in roots.Where(r => KnownSymbols.HasAttribute(r, Known.GlobalAttribute))) FunctionFor(g);

        while (_pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var (method, function, maps) = _pending.Dequeue();
            try
            {
                new FunctionLowering(this, method, function, _bodies[method], maps).Lower();
            }
            catch (LoweringException e)
            {
                Diagnostics.Add(e.Info);
            }
        }
        return Diagnostics.Count > before ? null : Module;
    }

    /// <summary>Specialisations of methods with map parameters, one per distinct tuple of maps passed.</summary>
    private readonly Dictionary<(IMethodSymbol, string), IrFunction> _specialised = new();

    /// <summary>
    /// The IR function of a called method or local function, created (and queued) on first use. A method
    /// with map parameters gets one copy per tuple of maps it is called with (<paramref name="maps"/>): maps
    /// are compile-time objects (an LD_IMM64 of the map), so they are bound, not passed.
    /// </summary>
    internal IrFunction FunctionFor(IMethodSymbol method, MapBindings? maps = null)
    {
        method = method.OriginalDefinition;
        if (maps is not null && maps.Count > 0)
        {
            if (_specialised.TryGetValue((method, maps.Key), out var sf)) return sf;
            sf = NewFunction(method, method.Name + "__" + maps.Key.Replace(',', '_'));
            _specialised[(method, maps.Key)] = sf;
            _pending.Enqueue((method, sf, maps));
            return sf;
        }
        if (Functions.TryGetValue(method, out var f)) return f;
        string name = method.MethodKind == MethodKind.LocalFunction
            ? (method.ContainingSymbol?.Name ?? "local") + "__" + method.Name
            : method.Name;
        f = NewFunction(method, name);
        Functions[method] = f;
        _pending.Enqueue((method, f, null));
        return f;
    }

    private IrFunction NewFunction(IMethodSymbol method, string name)
    {
        bool global = KnownSymbols.HasAttribute(method, Known.GlobalAttribute);
        while (Module.Functions.Any(x => x.Name == name)) name += "_";
        var ret = method.ReturnsVoid ? VoidType.Instance : Types.Map(method.ReturnType) ?? IntType.Int;
        var f = Module.AddFunction(name, global ? FunctionKind.Global : FunctionKind.Subprogram, ret);
        f.Location = LocationOf(method.Locations.FirstOrDefault());
        if (KnownSymbols.GetAttribute(method, Known.InlineAttribute) is { } inl)
            f.Inline = inl.ConstructorArguments.Length == 1 && inl.ConstructorArguments[0].Value is false ? InlineHint.Never : InlineHint.Always;
        if (global) f.Inline = InlineHint.Never;
        if (!_bodies.ContainsKey(method)) throw new LoweringException(BpfDiagnostics.UnsupportedCall, method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(), method.ToDisplayString());
        return f;
    }

    private IOperation? BodyOf(IMethodSymbol m)
    {
        var syntax = m.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        if (syntax is not MethodDeclarationSyntax decl || (decl.Body is null && decl.ExpressionBody is null)) return null;
        return _compilation.GetSemanticModel(decl.SyntaxTree).GetOperation(decl);
    }

    private void LowerMaps()
    {
        foreach (var m in Model.Maps)
        {
            IrType? key = m.Key is null ? null : Types.Map(m.Key);
            IrType? value = m.Value is null ? null : Types.Map(m.Value);
            var loc = m.Field.Locations.FirstOrDefault();
            if ((m.Key is not null && key is null) || (m.Value is not null && value is null))
            {
                Diagnostics.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedType, loc, UnsupportedTypes.Args((key is null ? m.Key : m.Value)!)));
                continue;
            }
            var def = new MapDefinition(m.Field.Name, m.Type, key, value, m.MaxEntries, m.Flags) { Pinning = m.Pinning, Location = LocationOf(loc) };
            Maps[m.Field] = Module.AddMap(def);
        }
    }

    private void LowerGlobals(HashSet<IFieldSymbol> used, CancellationToken ct)
    {
        foreach (var f in Model.Globals)
        {
            if (!used.Contains(f)) continue;
            var loc = f.Locations.FirstOrDefault();
            var type = Types.Map(f.Type);
            if (type is null || type is VoidType)
            {
                Diagnostics.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedStatic, loc, f.Name, $"its type {f.Type.ToDisplayString()} is not an integer, enum, pointer or unmanaged struct"));
                continue;
            }
            byte[]? init = null;
            var declarator = f.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as VariableDeclaratorSyntax;
            if (declarator?.Initializer is { } eq)
            {
                var op = _compilation.GetSemanticModel(eq.SyntaxTree).GetOperation(eq, ct) as IFieldInitializerOperation;
                var value = op?.Value.ConstantValue;
                if (value is not { HasValue: true } || TypeMapper.Primitive(f.Type) is null && f.Type.TypeKind != TypeKind.Enum)
                {
                    Diagnostics.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedStatic, eq.Value.GetLocation(), f.Name, "its initializer must be a compile-time constant of an integer or enum type"));
                    continue;
                }
                long v = Constants.ToLong(value.Value.Value);
                if (v != 0) init = Constants.LittleEndian(v, type.Size);
            }
            var section = f.IsReadOnly ? GlobalSection.Rodata : init is null ? GlobalSection.Bss : GlobalSection.Data;
            if (section == GlobalSection.Rodata && init is null) init = new byte[type.Size];
            Globals[f] = Module.AddGlobal(new GlobalVariable(f.Name, type, section, init) { Location = LocationOf(loc) });
        }
    }

    /// <summary>A read-only NUL-terminated string in .rodata (trace_printk formats), one per distinct text.</summary>
    internal GlobalVariable StringConstant(string text)
    {
        if (Strings.TryGetValue(text, out var g)) return g;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\0");
        g = Module.AddGlobal(new GlobalVariable($"__fmt_{Strings.Count}", new ArrayType(IntType.Byte, bytes.Length), GlobalSection.Rodata, bytes));
        Strings[text] = g;
        return g;
    }

    internal static SourceLocation LocationOf(Location? loc)
    {
        if (loc is null || !loc.IsInSource) return SourceLocation.None;
        var span = loc.GetLineSpan();
        return new SourceLocation(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }
}
