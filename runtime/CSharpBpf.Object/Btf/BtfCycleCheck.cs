using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// Rejects BTF whose by-value references loop (a typedef naming itself, a struct containing
/// itself other than through a pointer): the kernel rejects them too, and every size or
/// alignment computation over them would never end. Pointers, function prototypes and FUNCs
/// break cycles legitimately. An iterative depth-first search, linear in types plus members,
/// with an explicit stack so deep chains cannot overflow the call stack.
/// </summary>
internal static class BtfCycleCheck
{
    private const byte White = 0, Gray = 1, Black = 2;

    public static void Run(Btf btf)
    {
        var types = btf.Types;
        uint first = btf.FirstId;
        var color = new byte[types.Count];
        var stack = new Stack<(int Index, int Edge)>();
        for (int root = 0; root < types.Count; root++)
        {
            if (color[root] != White || EdgeCount(types[root]) == 0)
            {
                color[root] = Black;
                continue;
            }
            color[root] = Gray;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (index, edge) = stack.Pop();
                var type = types[index];
                if (edge >= EdgeCount(type))
                {
                    color[index] = Black;
                    continue;
                }
                stack.Push((index, edge + 1));
                uint target = Edge(type, edge);
                if (target < first) continue; // base types were checked when the base was read
                int next = (int)(target - first);
                if (color[next] == Black) continue;
                if (color[next] == Gray)
                    throw new BpfFormatException("BTF", type.SourceOffset,
                        $"no by-value reference cycle, but {type} refers back to {types[next]} without a pointer");
                color[next] = Gray;
                stack.Push((next, 0));
            }
        }
    }

    private static int EdgeCount(BtfType t) => t switch
    {
        BtfComposite c => c.Members.Count,
        BtfArray => 1,
        BtfPtr or BtfFunc or BtfDeclTag => 0,
        BtfReferenceType => 1,
        _ => 0,
    };

    private static uint Edge(BtfType t, int i) => t switch
    {
        BtfComposite c => c.Members[i].TypeId,
        BtfArray a => a.ElementTypeId,
        BtfReferenceType r => r.TypeId,
        _ => 0,
    };
}
