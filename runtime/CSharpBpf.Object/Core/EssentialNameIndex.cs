using System.Collections.Generic;
using System.Runtime.CompilerServices;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Object.Core;

// Inside CSharpBpf.Object, "Btf" is the namespace; this alias names the model type.
using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>
/// Target types by essential name (flavor suffix dropped), as libbpf's candidate search needs:
/// "task_struct___2" in a kernel's BTF is a candidate for a local "task_struct". Built once per BTF.
/// </summary>
internal static class EssentialNameIndex
{
    private static readonly ConditionalWeakTable<Btf, Dictionary<string, List<BtfType>>> Cache = new ConditionalWeakTable<Btf, Dictionary<string, List<BtfType>>>();

    /// <summary>This BTF's own types (not its base's) whose essential name is <paramref name="essential"/>.</summary>
    public static IReadOnlyList<BtfType> Find(Btf btf, string essential)
    {
        var index = Cache.GetValue(btf, Build);
        return index.TryGetValue(essential, out var list) ? list : (IReadOnlyList<BtfType>)System.Array.Empty<BtfType>();
    }

    private static Dictionary<string, List<BtfType>> Build(Btf btf)
    {
        var index = new Dictionary<string, List<BtfType>>(System.StringComparer.Ordinal);
        foreach (var t in btf.Types)
        {
            if (t.IsAnonymous) continue;
            if (t.Kind is not (BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Typedef or BtfKind.Fwd or BtfKind.Int or BtfKind.Float)) continue;
            string key = CoreNames.Essential(t.Name);
            if (!index.TryGetValue(key, out var list)) index[key] = list = new List<BtfType>();
            list.Add(t);
        }
        return index;
    }
}
