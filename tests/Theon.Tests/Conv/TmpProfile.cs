using static Theon.T;
namespace Theon.Tests.Conv;
public class TmpProfile
{
    private static double Time(FunctionN f, object[] args)
    {
        for (var i = 0; i < 3; i++) f(args);
        var best = double.MaxValue;
        for (var r = 0; r < 5; r++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            f(args);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return best;
    }
    [Fact]
    public void Profile()
    {
        var state = np.random.RandomState(5);
        foreach (var batch in new[] { 50, 500 })
        foreach (var (c, s, k) in new[] { (1, 28, 20), (20, 12, 50) })
        {
            var x = ftensor4("x"); var g = ftensor4("g");
            var w = shared(state.uniform(-0.1, 0.1, [k, c, 5, 5]).astype("float32"));
            var y = nnet.conv2d(x, w);
            object[] args = [state.uniform(-1, 1, [batch, c, s, s]).astype("float32"), state.uniform(-1, 1, [batch, k, s - 4, s - 4]).astype("float32")];
            var cost = (y * g).sum();
            var fw = function([x, g], [y], on_unused_input: "ignore", borrow: true);
            var gw = function([x, g], [grad(cost, w)], borrow: true);
            var gi = function([x, g], [grad(cost, x)], borrow: true);
            var pool = function([x, g], [signal.pool.pool_2d(y, (2, 2))], on_unused_input: "ignore", borrow: true);
            var flops = 2.0 * batch * k * c * 25 * (s - 4) * (s - 4);
            var (a, b, d, e) = (Time(fw, args), Time(gw, args), Time(gi, args), Time(pool, args));
            Console.WriteLine($"PROF batch {batch} layer c={c}: fwd {a:F2} ms ({flops / a / 1e6:F1} GF/s) gradW {b:F2} ms ({flops / b / 1e6:F1}) gradI {d:F2} ms ({flops / d / 1e6:F1}) conv+pool {e:F2} ms");
        }
    }
}
