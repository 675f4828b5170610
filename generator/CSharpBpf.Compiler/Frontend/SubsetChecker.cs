using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Refuses the C# a BPF program cannot express, each at the span that causes it (BPF0xxx):
/// allocation, virtual/interface calls, exceptions, strings (except trace_printk formats), floating point,
/// LINQ, lambdas and capturing local functions, foreach, unsupported types and calls, and anything
/// outside the supported operation kinds. Recursion and stack size are whole-class checks
/// (<see cref="CallGraph"/>, <see cref="StackEstimator"/>). The lowering only runs on code this accepts.
/// </summary>
public sealed class SubsetChecker : OperationWalker
{
    private readonly INamedTypeSymbol _class;
    private readonly TypeMapper _types;
    private readonly List<DiagnosticInfo> _diags;
    private readonly IMethodSymbol _method;
    private readonly IOperation _body;

    private SubsetChecker(INamedTypeSymbol cls, IMethodSymbol method, IOperation body, TypeMapper types, List<DiagnosticInfo> diags)
    {
        _class = cls;
        _body = body;
        _method = method;
        _types = types;
        _diags = diags;
    }

    public static void Check(INamedTypeSymbol cls, IMethodSymbol method, IOperation body, TypeMapper types, List<DiagnosticInfo> diags)
    {
        var checker = new SubsetChecker(cls, method, body, types, diags);
        checker.CheckSignature(method);
        checker.Visit(body);
    }

    private void Report(DiagnosticDescriptor d, SyntaxNode node, params object?[] args) =>
        _diags.Add(DiagnosticInfo.Create(d, node.GetLocation(), args));

    private void CheckSignature(IMethodSymbol m)
    {
        var loc = m.Locations.FirstOrDefault();
        if (GlobalSignatures.IsGlobal(m))
        {
            // a global function is verified from its BTF signature alone: BPF2004 says what that allows
            _diags.AddRange(GlobalSignatures.Check(m));
            foreach (var p in m.Parameters.Where(p => GlobalSignatures.Refusal(p) is not null)) _refused.Add(p);
        }
        else
        {
            foreach (var p in m.Parameters)
            {
                if (IsSupportedValueType(p.Type) || (p.RefKind != RefKind.None && _types.Map(p.Type) is not null) || IsBindableMap(m, p)) continue;
                var args = p.RefKind == RefKind.None && UnsupportedTypes.IsUnmanagedStruct(p.Type)
                    ? UnsupportedTypes.ByValueParameter(p, m)
                    : UnsupportedTypes.Args(p.Type);
                _diags.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedType, p.Locations.FirstOrDefault() ?? loc, args));
                _refused.Add(p);
            }
            if (!m.ReturnsVoid && !IsSupportedValueType(m.ReturnType))
                _diags.Add(DiagnosticInfo.Create(BpfDiagnostics.UnsupportedType, loc,
                    UnsupportedTypes.IsUnmanagedStruct(m.ReturnType) ? UnsupportedTypes.ByValueReturn(m) : UnsupportedTypes.Args(m.ReturnType)));
        }
        int passed = m.Parameters.Count(p => !IsBindableMap(m, p)); // bound maps are not passed in registers
        if (passed > 5)
            _diags.Add(DiagnosticInfo.Create(BpfDiagnostics.TooManyArguments, loc, m.Name, passed));
    }

    /// <summary>
    /// Locals and parameters already refused for their type: uses of them (foreach over them, their
    /// members) are the same mistake and are not reported again.
    /// </summary>
    private readonly HashSet<ISymbol> _refused = new(SymbolEqualityComparer.Default);

    private bool IsRefusedValue(IOperation? op)
    {
        while (op is IConversionOperation c) op = c.Operand;
        return op switch
        {
            ILocalReferenceOperation l => _refused.Contains(l.Local),
            IParameterReferenceOperation p => _refused.Contains(p.Parameter),
            _ => false,
        };
    }

    /// <summary>
    /// A string local used only as the format of Bpf.TracePrintk: the mistake is a non-constant format
    /// (BPF0015 at each use says to make it a const), not a string use of its own.
    /// </summary>
    private bool IsOnlyTracePrintkFormat(ILocalSymbol local)
    {
        var uses = _body.Descendants().OfType<ILocalReferenceOperation>()
            .Where(r => SymbolEqualityComparer.Default.Equals(r.Local, local)).ToList();
        return uses.Count > 0 && uses.All(r => r.Parent is IArgumentOperation { Parameter.Ordinal: 0 } arg &&
                                             arg.Parent is IInvocationOperation inv && IsTracePrintk(inv.TargetMethod));
    }

    /// <summary>A map parameter of a helper (not a program or [Global] function): each call binds a [Map] field to it.</summary>
    private bool IsBindableMap(IMethodSymbol m, IParameterSymbol p) =>
        MapBindings.IsMapParameter(p) && m.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction &&
        !m.GetAttributes().Any(a => a.AttributeClass?.ContainingNamespace?.ToDisplayString() == KnownSymbols.Namespace &&
                                    a.AttributeClass.Name is not ("InlineAttribute" or "UnrollAttribute"));

    /// <summary>Scalars and pointers travel in registers; structs only by pointer or ref.</summary>
    private bool IsSupportedValueType(ITypeSymbol t) =>
        t is IPointerTypeSymbol || TypeMapper.Primitive(t) is not null || t.TypeKind == TypeKind.Enum;

    private static bool IsFloat(ITypeSymbol? t) =>
        t?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    public override void Visit(IOperation? operation)
    {
        if (operation is null) return;
        if (!CheckCommon(operation)) return;
        switch (operation)
        {
            case IObjectCreationOperation oc:
                if (oc.Type is { IsReferenceType: true }) { Report(BpfDiagnostics.Allocation, oc.Syntax, oc.Syntax.ToString()); return; }
                if (oc.Arguments.Length > 0) { Report(BpfDiagnostics.UnsupportedCall, oc.Syntax, oc.Constructor?.ToDisplayString() ?? oc.Syntax.ToString()); return; }
                break;
            case IArrayCreationOperation or IAnonymousObjectCreationOperation or IInterpolatedStringOperation or ICollectionExpressionOperation or ITupleOperation:
                Report(BpfDiagnostics.Allocation, operation.Syntax, operation.Syntax.ToString());
                return;
            case IConversionOperation conv when conv.Type is { IsReferenceType: true } && conv.Operand.Type is { IsValueType: true }:
                Report(BpfDiagnostics.Allocation, conv.Syntax, conv.Syntax.ToString() + " (boxing)");
                return;
            case IThrowOperation or ITryOperation or IUsingOperation or IUsingDeclarationOperation or ILockOperation:
                Report(BpfDiagnostics.Exceptions, operation.Syntax, "'" + FirstLine(operation.Syntax) + "'");
                return;
            case IAnonymousFunctionOperation lambda:
                ReportLambda(lambda.Symbol, lambda.Body, lambda.Syntax);
                return;
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambdaTarget }:
                ReportLambda(lambdaTarget.Symbol, lambdaTarget.Body, lambdaTarget.Syntax);
                return;
            case IDelegateCreationOperation dc:
                Report(BpfDiagnostics.Delegate, dc.Syntax, dc.Syntax.ToString());
                return;
            case ILocalFunctionOperation lf:
                if (!lf.Symbol.IsStatic && FindCapture(lf.Symbol, lf) is { } captured)
                {
                    Report(BpfDiagnostics.CapturingLambda, lf.Syntax, lf.Symbol.Name, captured);
                    return;
                }
                CheckSignature(lf.Symbol);
                break;
            case IForEachLoopOperation fe when FunctionLowering.InlineArrayInfo(fe.Collection.Type) is null:
                if (IsRefusedValue(fe.Collection)) { Visit(fe.Body); return; } // its declaration's BPF0012 says what to use instead
                Report(BpfDiagnostics.Foreach, fe.Collection.Syntax, fe.Collection.Type?.ToDisplayString() ?? fe.Collection.Syntax.ToString());
                return;
            case ITranslatedQueryOperation q:
                Report(BpfDiagnostics.Linq, q.Syntax, FirstLine(q.Syntax));
                return;
            case IInvocationOperation inv when IsRefusedValue(inv.Instance):
                return; // a method of a value already refused for its type
            case IInvocationOperation inv:
                if (!CheckInvocation(inv)) return;
                break;
            case IFieldReferenceOperation fr when fr.Field.IsStatic && !fr.Field.IsConst:
                if (!SymbolEqualityComparer.Default.Equals(fr.Field.ContainingType, _class))
                {
                    Report(BpfDiagnostics.UnsupportedStatic, fr.Syntax, fr.Field.ToDisplayString(), "it belongs to another type, and only static fields of the program class become BPF globals");
                    return;
                }
                break;
            case IPropertyReferenceOperation pr when IsRefusedValue(pr.Instance):
                return; // a member of a value already refused for its type (s.Length, s[i] of a Span local)
            case IPropertyReferenceOperation pr when Kernel.KernelTypeLayout.Bitfield(pr.Property) is null: // kernelkinds: bitfields read
                Report(BpfDiagnostics.UnsupportedCall, pr.Syntax, pr.Property.ToDisplayString());
                return;
            case IVariableDeclaratorOperation vd:
                if (!IsSupportedLocal(vd.Symbol.Type))
                {
                    if (vd.Symbol.Type.SpecialType == SpecialType.System_String && IsOnlyTracePrintkFormat(vd.Symbol)) return;
                    _refused.Add(vd.Symbol);
                    // the initializer's own problem (a lambda, an allocation…) is the more useful report
                    int before = _diags.Count;
                    base.Visit(operation);
                    if (_diags.Count > before) return;
                    var t = vd.Symbol.Type;
                    if (IsFloat(t)) Report(BpfDiagnostics.FloatingPoint, vd.Syntax, vd.Symbol.Name, t.ToDisplayString());
                    else if (t.SpecialType == SpecialType.System_String) Report(BpfDiagnostics.StringUse, vd.Syntax, vd.Syntax.ToString());
                    else Report(BpfDiagnostics.UnsupportedType, vd.Syntax, UnsupportedTypes.Args(t));
                    return;
                }
                break;
            case IBranchOperation br when br.BranchKind == BranchKind.GoTo:
                Report(BpfDiagnostics.UnsupportedOperation, br.Syntax, br.Syntax.ToString(), "goto");
                return;
        }
        base.Visit(operation);
    }

    private bool IsSupportedLocal(ITypeSymbol t) => IsSupportedValueType(t) || _types.Map(t) is not null;

    /// <summary>Checks shared by every operation; false stops the walk below it (one report per construct).</summary>
    private bool CheckCommon(IOperation op)
    {
        if (IsFloat(op.Type) && !IsFloat(op.Parent?.Type))
        {
            Report(BpfDiagnostics.FloatingPoint, op.Syntax, op.Syntax.ToString(), op.Type!.ToDisplayString());
            return false;
        }
        if (op.Type?.SpecialType == SpecialType.System_String && op.Parent?.Type?.SpecialType != SpecialType.System_String)
        {
            if (IsTracePrintkFormat(op)) return true;
            Report(BpfDiagnostics.StringUse, op.Syntax, op.Syntax.ToString());
            return false;
        }
        if (op is IBinaryOperation { IsChecked: true } or IConversionOperation { IsChecked: true } or IIncrementOrDecrementOperation { IsChecked: true } or ICompoundAssignmentOperation { IsChecked: true })
        {
            Report(BpfDiagnostics.Exceptions, op.Syntax, "checked arithmetic '" + op.Syntax + "' (it throws OverflowException)");
            return false;
        }
        if (!IsSupportedKind(op))
        {
            Report(BpfDiagnostics.UnsupportedOperation, op.Syntax, FirstLine(op.Syntax), op.Kind.ToString());
            return false;
        }
        return true;
    }

    private static bool IsSupportedKind(IOperation op) => op.Kind switch
    {
        OperationKind.Block or OperationKind.VariableDeclarationGroup or OperationKind.VariableDeclaration or
        OperationKind.VariableDeclarator or OperationKind.VariableInitializer or OperationKind.ExpressionStatement or
        OperationKind.Return or OperationKind.Conditional or OperationKind.Loop or OperationKind.Branch or
        OperationKind.Switch or OperationKind.SwitchCase or OperationKind.CaseClause or OperationKind.Empty or
        OperationKind.Literal or OperationKind.LocalReference or OperationKind.ParameterReference or
        OperationKind.FieldReference or OperationKind.Binary or OperationKind.Unary or OperationKind.Conversion or
        OperationKind.SimpleAssignment or OperationKind.CompoundAssignment or OperationKind.Increment or
        OperationKind.Decrement or OperationKind.Invocation or OperationKind.Argument or OperationKind.AddressOf or
        OperationKind.SizeOf or OperationKind.DefaultValue or OperationKind.Parenthesized or OperationKind.LocalFunction or
        OperationKind.MethodBody or OperationKind.ObjectCreation or OperationKind.ObjectOrCollectionInitializer or
        OperationKind.MemberInitializer or OperationKind.RelationalPattern or OperationKind.ConstantPattern or
        OperationKind.Discard or OperationKind.Labeled or OperationKind.None or
        OperationKind.SwitchExpression or OperationKind.DeclarationExpression or OperationKind.InlineArrayAccess or OperationKind.IsPattern or OperationKind.NegatedPattern or OperationKind.BinaryPattern or OperationKind.SwitchExpressionArm or OperationKind.DiscardPattern or
        // refused with their own message in Visit:
        OperationKind.ArrayCreation or OperationKind.AnonymousObjectCreation or OperationKind.InterpolatedString or
        OperationKind.Throw or OperationKind.Try or OperationKind.Using or OperationKind.UsingDeclaration or OperationKind.Lock or
        OperationKind.AnonymousFunction or OperationKind.DelegateCreation or OperationKind.TranslatedQuery or
        OperationKind.PropertyReference or OperationKind.CollectionExpression or OperationKind.Tuple => true,
        _ => false,
    };

    private bool IsTracePrintkFormat(IOperation op) =>
        op.Parent is IArgumentOperation { Parameter.Ordinal: 0 } arg &&
        arg.Parent is IInvocationOperation inv && IsTracePrintk(inv.TargetMethod) &&
        (op.ConstantValue.HasValue || Fail(op));

    private bool Fail(IOperation op)
    {
        Report(BpfDiagnostics.TracePrintkFormat, op.Syntax, op.Syntax.ToString());
        return true; // reported here; do not also report a string use
    }

    internal static bool IsTracePrintk(IMethodSymbol m) => m.Name == "TracePrintk" && m.ContainingType?.ToDisplayString() == "CSharpBpf.Bpf";

    private bool CheckInvocation(IInvocationOperation inv)
    {
        var m = inv.TargetMethod;
        var containing = m.ContainingType?.ToDisplayString() ?? "";
        if (containing is "System.Linq.Enumerable" or "System.Linq.Queryable" or "System.Linq.ParallelEnumerable")
        {
            Report(BpfDiagnostics.Linq, inv.Syntax, FirstLine(inv.Syntax));
            return false;
        }
        if (m.IsVirtual || m.IsAbstract || m.IsOverride || m.ContainingType?.TypeKind == TypeKind.Interface)
        {
            Report(BpfDiagnostics.VirtualCall, inv.Syntax, m.ToDisplayString());
            return false;
        }
        if (InterlockedCalls.IsInterlocked(m))
        {
            if (InterlockedCalls.Refusal(m) is not { } why) return true;
            Report(BpfDiagnostics.UnsupportedAtomic, inv.Syntax, inv.Syntax.ToString(), why);
            return false;
        }
        bool ownMethod = SymbolEqualityComparer.Default.Equals(m.ContainingType, _class) && m.IsStatic;
        bool localFunction = m.MethodKind == MethodKind.LocalFunction;
        bool api = KnownSymbols.IsInApiNamespace(m.ContainingType) && BpfApiCalls.IsSupported(m) || Kernel.KernelCalls.IsKernelCall(m)
            || ByteOrderCalls.IsReverseEndianness(m);
        if (!ownMethod && !localFunction && !api)
        {
            Report(BpfDiagnostics.UnsupportedCall, inv.Syntax, m.ToDisplayString());
            return false;
        }
        int passed = inv.Arguments.Count(a => a.Parameter is null || !MapBindings.IsMapParameter(a.Parameter));
        if (passed > 5 && !api)
        {
            Report(BpfDiagnostics.TooManyArguments, inv.Syntax, m.Name, passed);
            return false;
        }
        return true;
    }

    private void ReportLambda(IMethodSymbol symbol, IOperation body, SyntaxNode syntax)
    {
        if (FindCapture(symbol, body) is { } captured) Report(BpfDiagnostics.CapturingLambda, syntax, "lambda", captured);
        else Report(BpfDiagnostics.Delegate, syntax, FirstLine(syntax));
    }

    /// <summary>The name of the first local or parameter of an enclosing function that <paramref name="body"/> uses, or null.</summary>
    internal static string? FindCapture(IMethodSymbol function, IOperation body)
    {
        foreach (var op in body.Descendants())
        {
            ISymbol? s = op switch
            {
                ILocalReferenceOperation l => l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (s is null) continue;
            if (!IsDeclaredInside(s.ContainingSymbol, function)) return s.Name;
        }
        return null;
    }

    private static bool IsDeclaredInside(ISymbol? owner, IMethodSymbol function)
    {
        for (var s = owner; s is not null; s = s.ContainingSymbol)
            if (SymbolEqualityComparer.Default.Equals(s, function)) return true;
        return false;
    }

    private static string FirstLine(SyntaxNode node)
    {
        var text = node.ToString();
        int nl = text.IndexOf('\n');
        return (nl < 0 ? text : text.Substring(0, nl)).Trim();
    }
}
