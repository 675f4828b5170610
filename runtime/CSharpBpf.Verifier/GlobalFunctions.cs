using System.Collections.Generic;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Verifier;

/// <summary>How the kernel types one argument of a global function (btf_prepare_func_args).</summary>
internal enum GlobalArgKind
{
    /// <summary>int or enum: any scalar (ARG_ANYTHING).</summary>
    Scalar,
    /// <summary>Pointer to the program type's context struct, or tagged arg:ctx (ARG_PTR_TO_CTX).</summary>
    Ctx,
    /// <summary>Pointer to a sized type: PTR_TO_MEM of that size, NULL allowed unless tagged arg:nonnull.</summary>
    Mem,
}

internal sealed record GlobalArg(GlobalArgKind Kind, int MemSize, bool Nullable, string TypeName);

/// <summary>
/// A subprogram whose BTF FUNC has global linkage: verified once on its own with argument states from its
/// FUNC_PROTO, while callers only check their arguments against that prototype and get an unknown scalar in r0.
/// <see cref="Problem"/> is set when the prototype is one the kernel refuses (then every call to it fails).
/// </summary>
internal sealed class GlobalFunction
{
    public GlobalFunction(string name, int start, IReadOnlyList<GlobalArg> args, string? problem)
    {
        Name = name; Start = start; Args = args; Problem = problem;
    }

    public string Name { get; }
    public int Start { get; }
    public IReadOnlyList<GlobalArg> Args { get; }
    public string? Problem { get; }
}

/// <summary>Finds the global functions of a program from its func_info and BTF, typing their arguments as the kernel does.</summary>
internal static class GlobalFunctions
{
    /// <summary>Registers a BPF function may take (MAX_BPF_FUNC_REG_ARGS).</summary>
    private const int MaxRegArgs = 5;

    /// <summary>Global subprograms by start instruction; the entry function (instruction 0) is never one of them.</summary>
    public static Dictionary<int, GlobalFunction> Find(VerifierProgramSpec spec)
    {
        var result = new Dictionary<int, GlobalFunction>();
        if (spec.FunctionInfo == null || spec.Btf == null) return result;
        foreach (var rec in spec.FunctionInfo)
        {
            if (rec.InstructionIndex == 0) continue;
            if (!spec.Btf.TryGetType(rec.FuncTypeId, out var t) || t is not BtfFunc func) continue;
            if (func.Linkage != BtfFuncLinkage.Global) continue;
            result[rec.InstructionIndex] = Describe(spec, func, rec.InstructionIndex);
        }
        return result;
    }

    private static GlobalFunction Describe(VerifierProgramSpec spec, BtfFunc func, int start)
    {
        var btf = spec.Btf!;
        var args = new List<GlobalArg>();
        if (!(Resolve(btf, func.TypeId) is BtfFuncProto proto))
            return new GlobalFunction(func.Name, start, args, $"Invalid BTF of func {func.Name}: its type is not a FUNC_PROTO");
        if (proto.Parameters.Count > MaxRegArgs)
            return new GlobalFunction(func.Name, start, args,
                $"Global function {func.Name}() with {proto.Parameters.Count} > {MaxRegArgs} args: pass at most 5 arguments (group the rest in a struct passed by pointer)");
        var ret = proto.ReturnTypeId == 0 ? null : Resolve(btf, proto.ReturnTypeId);
        if (ret is not (BtfInt or BtfEnumBase))
            return new GlobalFunction(func.Name, start, args,
                $"Global function {func.Name}() doesn't return scalar. Only those are supported: return an integer (or make the function static)");

        var tags = ArgTags(btf, func.Id);
        string? ctxName = ContextStructName(spec.ProgramType);
        for (int i = 0; i < proto.Parameters.Count; i++)
        {
            var p = proto.Parameters[i];
            var t = p.TypeId == 0 ? null : Resolve(btf, p.TypeId);
            tags.TryGetValue(i, out var argTags);
            argTags ??= new HashSet<string>();
            if (t is BtfPtr ptr)
            {
                var target = ptr.TypeId == 0 ? null : Resolve(btf, ptr.TypeId);
                if (argTags.Contains("ctx") || target is BtfStruct s && ctxName != null && s.Name == ctxName)
                {
                    args.Add(new GlobalArg(GlobalArgKind.Ctx, 0, false, target?.Name ?? "void"));
                    continue;
                }
                long size = target == null || target is BtfFuncProto ? -1 : SafeSize(btf, ptr.TypeId);
                if (size <= 0)
                    return new GlobalFunction(func.Name, start, args,
                        $"arg#{i} reference type('{Describe(target)}') size cannot be determined: a global function's pointer argument must point to a sized type");
                args.Add(new GlobalArg(GlobalArgKind.Mem, (int)size, !argTags.Contains("nonnull"), Describe(target)));
                continue;
            }
            if (argTags.Count > 0)
                return new GlobalFunction(func.Name, start, args, $"arg#{i} has pointer tag, but is not a pointer type");
            if (t is BtfInt or BtfEnumBase)
            {
                args.Add(new GlobalArg(GlobalArgKind.Scalar, 0, false, t.Name));
                continue;
            }
            return new GlobalFunction(func.Name, start, args,
                $"Arg#{i} type {Describe(t)} in {func.Name}() is not supported yet: global functions take integers, enums and pointers");
        }
        return new GlobalFunction(func.Name, start, args, null);
    }

    /// <summary>The UAPI context struct the kernel recognises for a program type (bpf_ctx_convert), or null.</summary>
    public static string? ContextStructName(VerifierProgramType type) => type switch
    {
        VerifierProgramType.SocketFilter or VerifierProgramType.SchedCls or VerifierProgramType.SchedAct or VerifierProgramType.CgroupSkb => "__sk_buff",
        VerifierProgramType.Xdp => "xdp_md",
        VerifierProgramType.SockOps => "bpf_sock_ops",
        VerifierProgramType.CgroupSysctl => "bpf_sysctl",
        VerifierProgramType.CgroupSockopt => "bpf_sockopt",
        VerifierProgramType.RawTracepoint => "bpf_raw_tracepoint_args",
        _ => null,
    };

    /// <summary>"arg:xxx" decl tags of the FUNC's parameters, by parameter index (xxx without the prefix).</summary>
    private static Dictionary<int, HashSet<string>> ArgTags(Btf btf, uint funcId)
    {
        var tags = new Dictionary<int, HashSet<string>>();
        foreach (var t in btf.Types)
        {
            if (t is not BtfDeclTag tag || tag.TypeId != funcId || tag.ComponentIndex < 0) continue;
            if (!tag.Name.StartsWith("arg:", System.StringComparison.Ordinal)) continue;
            if (!tags.TryGetValue(tag.ComponentIndex, out var set)) tags[tag.ComponentIndex] = set = new HashSet<string>();
            set.Add(tag.Name.Substring(4));
        }
        return tags;
    }

    private static string Describe(BtfType? t) => t == null ? "void" : t.Name.Length > 0 ? t.Name : t.Kind.ToString();

    private static BtfType? Resolve(Btf btf, uint id)
    {
        try { return btf.ResolveModifiers(id, skipTypedefs: true); }
        catch (System.Exception) { return null; }
    }

    private static long SafeSize(Btf btf, uint id)
    {
        try { return (long)btf.SizeOf(id); }
        catch (System.Exception) { return -1; }
    }
}
