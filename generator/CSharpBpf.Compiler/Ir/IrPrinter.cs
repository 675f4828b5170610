using System.Globalization;
using System.Linq;
using System.Text;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// A stable text form of the IR for golden tests and debugging. Registers print as %id with a
/// width suffix on definitions (":32", ":64", ":ptr"); locations are left out unless asked for.
/// </summary>
public static class IrPrinter
{
    public static string Print(IrModule module, bool withLocations = false)
    {
        var sb = new StringBuilder();
        sb.Append("module ").Append(module.Name).Append(" license \"").Append(module.License).Append("\"\n");
        foreach (var m in module.Maps)
            sb.Append($"map {m.Name}: {m.Type} key {m.Key?.ToString() ?? m.KeySize?.ToString(CultureInfo.InvariantCulture) ?? "-"} value {m.Value?.ToString() ?? m.ValueSize?.ToString(CultureInfo.InvariantCulture) ?? "-"} max_entries {m.MaxEntries}{(m.Flags != 0 ? " flags " + m.Flags : "")}\n");
        foreach (var g in module.Globals)
            sb.Append($"global {g.Name}: {g.Type} in {g.SectionName}{(g.InitialValue is null ? "" : " = [" + string.Join(" ", g.InitialValue.Select(x => x.ToString("x2", CultureInfo.InvariantCulture))) + "]")}\n");
        foreach (var f in module.Functions)
        {
            sb.Append('\n');
            sb.Append(Print(f, withLocations));
        }
        return sb.ToString();
    }

    public static string Print(IrFunction f, bool withLocations = false)
    {
        var sb = new StringBuilder();
        sb.Append(f.Kind.ToString().ToLowerInvariant()).Append(' ').Append(f.Name).Append('(');
        sb.Append(string.Join(", ", f.Params.Select(p => f.HasBody ? $"{Def(p.Reg)} {p.Name}: {p.Type}" : $"{p.Name}: {p.Type}")));
        sb.Append(") -> ").Append(f.ReturnType);
        if (f.SectionName is not null) sb.Append(" section \"").Append(f.SectionName).Append('"');
        if (f.Kind == FunctionKind.Helper) sb.Append(" id ").Append(f.HelperId);
        if (f.Inline != InlineHint.Default) sb.Append(" inline ").Append(f.Inline.ToString().ToLowerInvariant());
        sb.Append('\n');
        foreach (var s in f.FrameSlots)
            sb.Append($"  {s}: {s.Size} bytes align {s.Align}{(s.Name is null ? "" : " \"" + s.Name + "\"")}\n");
        foreach (var b in f.Blocks)
        {
            sb.Append(b).Append(':');
            if (!string.IsNullOrEmpty(b.Name)) sb.Append(" ; ").Append(b.Name);
            sb.Append('\n');
            foreach (var i in b.Instructions)
            {
                sb.Append("  ").Append(Print(i));
                if (withLocations && !i.Location.IsNone) sb.Append("    ; ").Append(i.Location);
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    public static string Print(Inst inst) => inst switch
    {
        ConstInst x => $"{Def(x.Dst)} = const {x.Value.ToString(CultureInfo.InvariantCulture)}",
        CoreOffsetInst x => $"{Def(x.Dst)} = coreoffset {x.Value.ToString(CultureInfo.InvariantCulture)}{Core(x.Core)}",
        MoveInst x => $"{Def(x.Dst)} = mov {x.Src}",
        BinaryInst x => $"{Def(x.Dst)} = {x.Op.Mnemonic()} {x.Left}, {x.Right}",
        UnaryInst x => $"{Def(x.Dst)} = {x.Op.ToString().ToLowerInvariant()} {x.Src}",
        ConvertInst x => $"{Def(x.Dst)} = {(x.Signed ? "sext" : "zext")}{x.FromBits} {x.Src}",
        CompareInst x => $"{Def(x.Dst)} = cmp{(int)x.Width} {x.Cond.Mnemonic()} {x.Left}, {x.Right}",
        LoadInst x => $"{Def(x.Dst)} = load{(x.SignExtend ? "s" : "")}{x.Size * 8} [{x.Base}{Off(x.Offset)}]{Core(x.Core)}",
        StoreInst x => $"store{x.Size * 8} [{x.Base}{Off(x.Offset)}], {x.Value}{Core(x.Core)}",
        FrameAddrInst x => $"{Def(x.Dst)} = frame {x.Slot}",
        MapAddrInst x => $"{Def(x.Dst)} = map {x.Map.Name}",
        GlobalAddrInst x => $"{Def(x.Dst)} = global {x.Global.Name}",
        FuncAddrInst x => $"{Def(x.Dst)} = func {x.Function.Name}",
        CallInst x => $"{(x.Dst is null ? "" : Def(x.Dst) + " = ")}call {x.Callee.Kind.ToString().ToLowerInvariant()} {x.Callee.Name}({string.Join(", ", x.Args)})",
        AtomicInst x => $"{(x.Dst is null ? "" : Def(x.Dst) + " = ")}atomic{x.Size * 8} {x.Op.ToString().ToLowerInvariant()} [{x.Base}{Off(x.Offset)}], {x.Value}{(x.Expected is { } e ? ", expected " + e : "")}",
        JumpInst x => $"jmp {x.Target}",
        BranchInst x => $"br{(int)x.Width} {x.Cond.Mnemonic()} {x.Left}, {x.Right} ? {x.IfTrue} : {x.IfFalse}",
        ReturnInst x => x.Value is { } v ? $"ret {v}" : "ret",
        _ => inst.GetType().Name,
    };

    private static string Def(VReg r) => $"{r}:{(r.IsPointer ? "ptr" : ((int)r.Width).ToString(CultureInfo.InvariantCulture))}";
    private static string Off(short o) => o == 0 ? "" : o > 0 ? "+" + o : o.ToString(CultureInfo.InvariantCulture);
    private static string Core(CoreAccess? c) => c is null ? "" : $" core({c.RootType.Name}:{c.AccessString})";
}
