import Foundation
import Hummingbird

func addTokensRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
