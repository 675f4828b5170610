using System.Linq;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Object.Core;

// Inside CSharpBpf.Object, "Btf" is the namespace; this alias names the model type.
using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>
/// bpf_core_type_matches() semantics (libbpf's "type match" relocation): the local type's shape must
/// be present in the target — named types by essential name, struct/union members by name with
/// matching types (the target may have more), enumerators by name with equal size, ints with equal
/// size and signedness, pointers/arrays/prototypes recursively.
/// </summary>
internal static class CoreTypeMatch
{
    private const int MaxDepth = 32;

    public static bool Matches(Btf local, uint localId, Btf target, uint targetId, int depth = 0)
    {
        if (depth > MaxDepth) return false;
        var l = local.ResolveModifiers(localId);
        var t = target.ResolveModifiers(targetId);
        if (l is BtfVoid || t is BtfVoid) return l is BtfVoid && t is BtfVoid;
        if (!l.IsAnonymous && !t.IsAnonymous && CoreNames.Essential(l.Name) != CoreNames.Essential(t.Name)) return false;
        switch (l)
        {
            case BtfFwd lf:
                return t is BtfFwd tf ? tf.IsUnion == lf.IsUnion : t.Kind == (lf.IsUnion ? BtfKind.Union : BtfKind.Struct);
            case BtfEnumBase le:
                return t is BtfEnumBase te && te.Size == le.Size && le.Values.All(v => te.Values.Any(x => CoreNames.Essential(x.Name) == CoreNames.Essential(v.Name)));
            case BtfComposite lc:
                if (t is not BtfComposite tc || tc.Kind != lc.Kind) return false;
                foreach (var m in lc.Members)
                {
                    var tm = tc.Members.FirstOrDefault(x => x.Name == m.Name);
                    if (tm is null || !Matches(local, m.TypeId, target, tm.TypeId, depth + 1)) return false;
                }
                return true;
            case BtfInt li:
                return t is BtfInt ti && ti.Size == li.Size && ti.IsSigned == li.IsSigned;
            case BtfFloat lfl:
                return t is BtfFloat tfl && tfl.Size == lfl.Size;
            case BtfPtr lp:
                return t is BtfPtr tp && Matches(local, lp.TypeId, target, tp.TypeId, depth + 1);
            case BtfArray la:
                return t is BtfArray ta && ta.Length == la.Length && Matches(local, la.ElementTypeId, target, ta.ElementTypeId, depth + 1);
            case BtfFuncProto lfp:
                if (t is not BtfFuncProto tfp || tfp.Parameters.Count != lfp.Parameters.Count) return false;
                if (!Matches(local, lfp.ReturnTypeId, target, tfp.ReturnTypeId, depth + 1)) return false;
                for (int i = 0; i < lfp.Parameters.Count; i++)
                    if (!Matches(local, lfp.Parameters[i].TypeId, target, tfp.Parameters[i].TypeId, depth + 1)) return false;
                return true;
            default:
                return l.Kind == t.Kind;
        }
    }
}
