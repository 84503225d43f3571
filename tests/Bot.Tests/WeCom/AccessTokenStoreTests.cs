using RapidResponse.Bot.WeCom.Api;

namespace RapidResponse.Bot.Tests.WeCom;

public class AccessTokenStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryInvalidateAsync_ShouldKeepTheFreshToken_WhenAnotherCallerAlreadyRefreshed()
    {
        var store = new InMemoryAccessTokenStore();
        await store.SetAsync("k", new AccessToken("fresh", Now, Now), default);

        Assert.False(await store.TryInvalidateAsync("k", "stale", default));
        Assert.Equal("fresh", (await store.GetAsync("k", default))!.Value);
    }

    [Fact]
    public async Task TryInvalidateAsync_ShouldRemoveTheToken_WhenItIsTheOneThatFailed()
    {
        var store = new InMemoryAccessTokenStore();
        await store.SetAsync("k", new AccessToken("failed", Now, Now), default);

        Assert.True(await store.TryInvalidateAsync("k", "failed", default));
        Assert.Null(await store.GetAsync("k", default));
    }

    [Theory]
    [InlineData(7200, 7200 - 300)]
    [InlineData(400, 200)] // margin longer than half the lifetime: refresh at half-life instead of immediately
    public void FromExpiresIn_ShouldScheduleRefreshBeforeExpiry_WhenGivenGettokenLifetime(int expiresIn, int refreshAfterSeconds)
    {
        var token = AccessTokenCache.FromExpiresIn("t", expiresIn, Now, TimeSpan.FromMinutes(5));

        Assert.Equal(Now.AddSeconds(expiresIn), token.ExpiresAt);
        Assert.Equal(Now.AddSeconds(refreshAfterSeconds), token.RefreshAfter);
    }

    [Fact]
    public void KeyFor_ShouldNotRevealSecretOrToken_WhenBuildingKeysAndPrinting()
    {
        var key = AccessTokenCache.KeyFor("ww1", "my-secret");

        Assert.StartsWith("ww1:", key);
        Assert.DoesNotContain("my-secret", key);
        Assert.NotEqual(key, AccessTokenCache.KeyFor("ww1", "other-secret"));
        Assert.DoesNotContain("tok-value", new AccessToken("tok-value", Now, Now).ToString());
    }
}
